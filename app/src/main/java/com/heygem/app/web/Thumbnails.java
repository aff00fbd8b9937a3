package com.heygem.app.web;

import com.heygem.engine.media.Ffmpeg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Small JPEG pictures of videos for the page (templates, results), made once by the bundled
 * ffmpeg from a frame one second in (or the first, for shorter videos) and kept under
 * {@code <data>/thumbs/}. At most two are made at a time, so a gallery of hundreds loading at once
 * cannot starve a render.
 */
final class Thumbnails {
    static final int WIDTH = 320;
    private final Path dir;
    private final java.util.concurrent.Semaphore makers = new java.util.concurrent.Semaphore(2);

    Thumbnails(Path dataDir) {
        this.dir = dataDir.resolve("thumbs");
    }

    /** The thumbnail of an uploaded video, kept under its content hash (the stored file's name). */
    Path of(Path dataDir, com.heygem.app.store.BatchStore.Asset asset) throws IOException, InterruptedException {
        Path file = dataDir.resolve(asset.storedPath());
        String key = file.getFileName().toString().replaceAll("\\..*$", "");
        return of(file, key, asset.durationSeconds() == null ? 0 : asset.durationSeconds());
    }

    /** The thumbnail of {@code video} under {@code key} (a content hash or an item id), made when missing. */
    Path of(Path video, String key, double durationSeconds) throws IOException, InterruptedException {
        Path out = dir.resolve(key + ".jpg");
        if (Files.isRegularFile(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(video)) >= 0) {
            return out;
        }
        makers.acquire();
        try {
            Files.createDirectories(dir);
            Path part = Files.createTempFile(dir, key, ".part.jpg");
            double at = durationSeconds > 2 ? 1.0 : 0;
            Process p = Ffmpeg.process(Ffmpeg.executable(), List.of("-v", "error", "-y", "-ss", Double.toString(at),
                    "-i", video.toString(), "-frames:v", "1", "-vf", "scale=" + WIDTH + ":-2", "-q:v", "4",
                    part.toString())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            if (p.exitValue() != 0 || Files.size(part) == 0) {
                Files.deleteIfExists(part);
                throw new IOException("ffmpeg could not take a picture of " + video.getFileName());
            }
            Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } finally {
            makers.release();
        }
    }
}
