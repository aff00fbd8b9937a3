package com.heygem.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultZipTest {
    @TempDir
    Path dir;

    @Test
    void filesComeBackWholeUnderSafeUniqueNames() throws Exception {
        Path a = Files.write(dir.resolve("a.mp4"), "first".getBytes());
        Path b = Files.write(dir.resolve("b.mp4"), "second".getBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = ResultZip.write(List.of(new ResultZip.Entry(a, "../x.mp4"), new ResultZip.Entry(b, "x.mp4"),
                new ResultZip.Entry(a, "x.mp4"), new ResultZip.Entry(dir.resolve("gone.mp4"), "gone.mp4")), out);
        assertThat(n).isEqualTo(3);
        List<String> names = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(out.toByteArray()))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                contents.add(new String(in.readAllBytes()));
            }
        }
        // A slash is a character of the name (its full-width look-alike), never a folder to climb out of.
        assertThat(names).containsExactly("／x.mp4", "x.mp4", "x-2.mp4");
        assertThat(contents).containsExactly("first", "second", "first");
    }

    /** Five 300 MB files (1.5 GB) zipped by a JVM with a 64 MB heap: nothing is held whole. */
    @Test
    void aBatchLargerThanTheHeapStreams() throws Exception {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path f = dir.resolve("big" + i + ".mp4");
            try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                r.setLength(300L << 20); // sparse: costs no disk
            }
            args.add(f.toString());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                ZipToNull.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("files 5").contains("bytes " + (5 * (300L << 20)));
    }

    /** Child process: zips its arguments into a counting sink and prints what went through. */
    public static final class ZipToNull {
        public static void main(String[] files) throws Exception {
            long[] count = {0};
            OutputStream sink = new OutputStream() {
                @Override
                public void write(int b) {
                    count[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    count[0] += len;
                }
            };
            List<ResultZip.Entry> entries = new ArrayList<>();
            for (String f : files) {
                entries.add(new ResultZip.Entry(Path.of(f), Path.of(f).getFileName().toString()));
            }
            int n = ResultZip.write(entries, sink);
            long payload = 0;
            for (String f : files) {
                payload += Files.size(Path.of(f));
            }
            System.out.println("files " + n + " bytes " + payload + " zip " + count[0]);
            if (count[0] < payload) {
                System.exit(2);
            }
        }
    }
}
