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
 * cannot starve a render. Once a video's face check is done, its picture is a square around the
 * face ({@link Face}): a portrait's thumbnail shows the presenter, not the torso.
 */
final class Thumbnails {
    static final int WIDTH = 320;

    /** Where the face is in a video's frames, in its pixels: the centre and the side of its box. */
    record Face(double x, double y, double side, int width, int height) {
        /** FFmpeg's crop of a square around the face (a little room above it for the hair), within the frame. */
        String crop() {
            int s = (int) Math.min(Math.min(width, height), Math.max(2.6 * side, 64));
            s -= s % 2;
            int left = (int) Math.max(0, Math.min(width - s, x - s / 2.0));
            int top = (int) Math.max(0, Math.min(height - s, y - 0.45 * s));
            return "crop=" + s + ":" + s + ":" + left + ":" + top + ",scale=" + WIDTH + ":" + WIDTH;
        }

        /** The face in frame {@code f} of {@code profile} (or the nearest frame with one); null without any. */
        static Face of(com.heygem.engine.template.TemplateProfile profile, int f, int width, int height) {
            int n = profile.frames();
            if (n == 0 || width <= 0 || height <= 0) {
                return null;
            }
            float[] points = new float[com.heygem.engine.face.Landmarks.VALUES];
            for (int d = 0; d < n; d++) {
                for (int g : new int[] {f - d, f + d}) {
                    if (g >= 0 && g < n && profile.facePresent()[g]) {
                        profile.landmarks(g, points);
                        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
                        for (int k = 0; k < points.length; k += 2) {
                            minX = Math.min(minX, points[k]);
                            maxX = Math.max(maxX, points[k]);
                            minY = Math.min(minY, points[k + 1]);
                            maxY = Math.max(maxY, points[k + 1]);
                        }
                        return new Face((minX + maxX) / 2, (minY + maxY) / 2, Math.max(maxX - minX, maxY - minY), width, height);
                    }
                }
            }
            return null;
        }
    }
    private final Path dir;
    private final java.util.concurrent.Semaphore makers = new java.util.concurrent.Semaphore(2);

    Thumbnails(Path dataDir) {
        this.dir = dataDir.resolve("thumbs");
    }

    /** The thumbnail of an uploaded video, kept under its content hash (the stored file's name). */
    Path of(Path dataDir, com.heygem.app.store.BatchStore.Asset asset, java.util.function.Supplier<Face> face)
            throws IOException, InterruptedException {
        Path file = dataDir.resolve(asset.storedPath());
        String key = file.getFileName().toString().replaceAll("\\..*$", "");
        return of(file, key, asset.durationSeconds() == null ? 0 : asset.durationSeconds(), face);
    }

    /** The second a thumbnail is taken at. */
    static double at(double durationSeconds) {
        return durationSeconds > 2 ? 1.0 : 0;
    }

    /**
     * The thumbnail of {@code video} under {@code key} (a content hash or an item id), made when missing.
     *
     * @param faces where the face is (the picture is a square around it; asked only when no such
     *              picture is kept yet), or null for the whole frame
     */
    Path of(Path video, String key, double durationSeconds, java.util.function.Supplier<Face> faces)
            throws IOException, InterruptedException {
        Path framed = dir.resolve(key + "-face.jpg");
        if (Files.isRegularFile(framed) && Files.getLastModifiedTime(framed).compareTo(Files.getLastModifiedTime(video)) >= 0) {
            return framed;
        }
        Face face = faces == null ? null : faces.get();
        Path out = face == null ? dir.resolve(key + ".jpg") : framed;
        if (Files.isRegularFile(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(video)) >= 0) {
            return out;
        }
        makers.acquire();
        try {
            Files.createDirectories(dir);
            Path part = Files.createTempFile(dir, key, ".part.jpg");
            Process p = Ffmpeg.process(Ffmpeg.executable(), List.of("-v", "error", "-y", "-ss", Double.toString(at(durationSeconds)),
                    "-i", video.toString(), "-frames:v", "1", "-vf", face == null ? "scale=" + WIDTH + ":-2" : face.crop(), "-q:v", "4",
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
