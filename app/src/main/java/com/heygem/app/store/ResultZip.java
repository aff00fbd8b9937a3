package com.heygem.app.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A batch's finished videos as one ZIP, built while it is sent: each file is copied through a
 * small buffer, so a batch of hundreds of videos never sits in memory or on disk a second time.
 * Videos are already compressed; the entries are stored at deflate level 0 to spend no CPU.
 */
public final class ResultZip {
    private static final int BUFFER = 1 << 16;

    private ResultZip() {
    }

    /** A file to put in the ZIP under a readable name. */
    public record Entry(Path file, String name) {
    }

    /**
     * Writes the ZIP to {@code out} (not closed: the caller owns the stream). Names, given safe
     * ({@link DownloadNames}), are kept as they are (UTF-8) but made unique should two agree ("a.mp4",
     * "a-2.mp4"), and never lead out of the folder they are unpacked into; missing files are skipped.
     *
     * @return the number of files written
     */
    public static int write(List<Entry> entries, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.NO_COMPRESSION);
        byte[] buffer = new byte[BUFFER];
        Set<String> taken = new HashSet<>();
        int written = 0;
        for (Entry e : entries) {
            if (!Files.isRegularFile(e.file())) {
                continue; // deleted by retention meanwhile: the rest still comes
            }
            zip.putNextEntry(new ZipEntry(unique(DownloadNames.stem(e.name()), taken)));
            try (InputStream in = Files.newInputStream(e.file())) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    zip.write(buffer, 0, n);
                }
            }
            zip.closeEntry();
            written++;
        }
        zip.finish();
        zip.flush();
        return written;
    }

    private static String unique(String name, Set<String> taken) {
        if (taken.add(name)) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 2; ; i++) {
            String candidate = stem + "-" + i + ext;
            if (taken.add(candidate)) {
                return candidate;
            }
        }
    }
}
