package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.image.YuvImage;
import com.heygem.engine.media.MediaInfo;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.MediaProbe;
import com.heygem.engine.media.VideoReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Checks of what the server hands back: ZIPs, result videos, a batch's output folder. */
final class ResultFiles {
    private ResultFiles() {
    }

    /** Unpacks a ZIP into {@code dir}; every entry must land directly in it (no paths). */
    static List<Path> unzip(Path zip, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path f = dir.resolve(e.getName());
                assertThat(f.getParent()).isEqualTo(dir);
                Files.copy(z, f);
                out.add(f);
            }
        }
        return out;
    }

    /** H.264 + AAC lasting {@code min..max} seconds, and every frame decodes. */
    static void assertPlayable(Path video, double min, double max) {
        MediaInfo info = MediaProbe.probe(video, MediaLimits.DEFAULT);
        assertThat(info.video().orElseThrow().codec()).isEqualTo("h264");
        assertThat(info.audio().orElseThrow().codec()).isEqualTo("aac");
        assertThat(info.durationSeconds()).isBetween(min, max);
        try (VideoReader r = VideoReader.open(video)) {
            YuvImage p = new YuvImage();
            int frames = 0;
            while (r.read(p)) {
                frames++;
            }
            assertThat(frames).as(video.toString()).isGreaterThan((int) (0.9 * r.expectedFrames()));
        }
    }

    /** Exactly {@code n} finished videos in a batch's folder, nothing half-written beside them. */
    static void assertBatchFolder(Path data, String batch, int n, double min, double max) throws Exception {
        try (Stream<Path> files = Files.list(data.resolve("outputs").resolve(batch))) {
            List<Path> all = files.toList();
            assertThat(all).as(all.toString()).hasSize(n);
            for (Path f : all) {
                assertThat(f.getFileName().toString()).endsWith(".mp4").doesNotStartWith(".");
                assertPlayable(f, min, max);
            }
        }
    }
}
