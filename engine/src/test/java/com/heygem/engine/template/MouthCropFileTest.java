package com.heygem.engine.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.image.YuvImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MouthCropFileTest {
    @TempDir
    Path temp;

    /** A face 100 px wide whose jaw runs from (50, 60) round to (150, 60) with the chin at y 140. */
    private static float[] face(float dx, float dy) {
        float[] p = new float[Landmarks.VALUES];
        for (int i = 0; i < Landmarks.POINTS; i++) {
            double a = Math.PI * Math.min(i, 16) / 16;
            p[2 * i] = (float) (100 - 50 * Math.cos(a)) + dx;
            p[2 * i + 1] = (float) (60 + 80 * Math.sin(a)) + dy;
        }
        for (int i = 31; i <= 35; i++) {
            p[2 * i] = 90 + 5 * (i - 31) + dx;
            p[2 * i + 1] = 80 + dy;
        }
        return p;
    }

    /** Each pixel's value encodes its plane, position and frame, so a misplaced byte shows. */
    private static YuvImage frame(int f) {
        YuvImage img = new YuvImage(240, 200);
        for (int i = 0; i < img.byteCount(); i++) {
            img.data[i] = (byte) (i * 31 + f * 7);
        }
        return img;
    }

    @Test
    void cropsReadBackExactlyWhereTheyWereCut() throws Exception {
        Path target = temp.resolve("t.mouths");
        try (MouthCropFile.Writer w = new MouthCropFile.Writer(temp, "t")) {
            w.add(frame(0), face(0, 0));
            w.add(frame(1), null); // no face
            w.add(frame(2), face(30, 20));
            w.finish(target);
        }
        assertThat(Files.list(temp).filter(p -> p.toString().endsWith(".partial"))).isEmpty();
        Optional<MouthCropFile> opened = MouthCropFile.open(target, 3);
        assertThat(opened).isPresent();
        try (MouthCropFile crops = opened.get()) {
            assertThat(crops.has(0)).isTrue();
            assertThat(crops.has(1)).isFalse();
            assertThat(crops.x(2) - crops.x(0)).isEqualTo(30);
            for (int f : new int[] {0, 2}) {
                YuvImage img = frame(f);
                int x = crops.x(f);
                int y = crops.y(f);
                int w = crops.width(f);
                int h = crops.height(f);
                assertThat(x % 2).isZero();
                assertThat(w % 2).isZero();
                // The jaw, the chin and room below it are inside; the image edge is respected.
                assertThat(x).isLessThanOrEqualTo(50 + 30 * (f / 2));
                assertThat(y + h).isGreaterThan(140 + 20 * (f / 2) + 30);
                assertThat(y + h).isLessThanOrEqualTo(img.height);
                byte[] out = new byte[crops.maxBytes()];
                crops.load(f, out);
                for (int r = 0; r < h; r++) {
                    assertThat(Arrays.copyOfRange(out, r * w, r * w + w))
                            .isEqualTo(Arrays.copyOfRange(img.data, (y + r) * img.width + x, (y + r) * img.width + x + w));
                }
                int v = w * h + (w / 2) * (h / 2) + (h / 2 - 1) * (w / 2); // last row of V
                int source = img.vOffset() + (y / 2 + h / 2 - 1) * img.chromaWidth() + x / 2;
                assertThat(Arrays.copyOfRange(out, v, v + w / 2))
                        .isEqualTo(Arrays.copyOfRange(img.data, source, source + w / 2));
            }
        }
    }

    @Test
    void damagedOrForeignFilesAreIgnoredAndUnfinishedOnesLeaveNothing() throws Exception {
        Path target = temp.resolve("t.mouths");
        try (MouthCropFile.Writer w = new MouthCropFile.Writer(temp, "t")) {
            w.add(frame(0), face(0, 0));
            w.add(frame(1), face(2, 0));
            w.finish(target);
        }
        assertThat(MouthCropFile.open(target, 3)).as("another frame count").isEmpty();
        byte[] bytes = Files.readAllBytes(target);
        Files.write(target, Arrays.copyOf(bytes, bytes.length - 5));
        assertThat(MouthCropFile.open(target, 2)).as("truncated").isEmpty();
        assertThat(MouthCropFile.open(temp.resolve("missing.mouths"), 2)).isEmpty();

        try (MouthCropFile.Writer w = new MouthCropFile.Writer(temp, "u")) {
            w.add(frame(0), face(0, 0));
            // closed without finish: an interrupted analysis
        }
        try (var files = Files.list(temp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("t.mouths");
        }
    }

    @Test
    void evictionRemovesTheLeastRecentlyUsedCropsAndKeepsProfiles() throws Exception {
        ProfileStore store = new ProfileStore(temp);
        Files.createDirectories(store.dir());
        String[] hashes = {"a", "b", "c"};
        for (int i = 0; i < hashes.length; i++) {
            Path crops = store.cropsFor(hashes[i]);
            Files.write(crops, new byte[1000]);
            Files.setLastModifiedTime(crops, FileTime.fromMillis(1_000_000L * (i + 1)));
            Files.write(store.fileFor(hashes[i]), new byte[10]);
        }
        // "a" is used now: it becomes the most recent.
        Files.setLastModifiedTime(store.cropsFor("a"), FileTime.fromMillis(10_000_000L));
        store.evictCrops(2000);
        assertThat(store.cropsFor("b")).doesNotExist();
        assertThat(store.cropsFor("a")).exists();
        assertThat(store.cropsFor("c")).exists();
        assertThat(store.fileFor("b")).exists();
    }
}
