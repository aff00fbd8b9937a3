package com.heygem.engine.render;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.template.MouthCropFile;
import java.nio.file.Path;

/**
 * The lower faces of the template frames a plan uses as mouth sources at native resolution (one
 * resampling only: straight onto the output frame): either kept by the template's analysis
 * ({@link MouthCropFile}) or cut out of the frames of a decoding pass before the render.
 */
final class MouthCrops implements AutoCloseable {
    private final Rect[] rects;
    private final int[] slotOf;
    private final SlotFile file;
    private final byte[] buffer;
    private final MouthCropFile cached;

    /**
     * @param needed    template frames to keep
     * @param landmarks the template's landmarks, 136 per frame
     */
    MouthCrops(boolean[] needed, float[] landmarks, int width, int height, Path tempDir) {
        int n = needed.length;
        rects = new Rect[n];
        slotOf = new int[n];
        float[] p = new float[Landmarks.VALUES];
        int[] box = new int[4];
        int slots = 0;
        int maxBytes = 16;
        for (int f = 0; f < n; f++) {
            slotOf[f] = -1;
            if (!needed[f]) {
                continue;
            }
            System.arraycopy(landmarks, f * Landmarks.VALUES, p, 0, Landmarks.VALUES);
            // The same area the analysis keeps: one rule for how far a mouth source can reach.
            MouthCropFile.region(p, width, height, box);
            rects[f] = new Rect(box[0], box[1], box[2], box[3]);
            slotOf[f] = slots++;
            maxBytes = Math.max(maxBytes, bytes(rects[f]));
        }
        file = new SlotFile(tempDir, "heygem-mouths-", maxBytes);
        buffer = new byte[maxBytes];
        cached = null;
    }

    /** Crops the analysis kept; this instance closes {@code cached}. */
    MouthCrops(MouthCropFile cached) {
        this.cached = cached;
        int n = cached.frames();
        rects = new Rect[n];
        slotOf = null;
        file = null;
        buffer = null;
        for (int f = 0; f < n; f++) {
            if (cached.has(f)) {
                rects[f] = new Rect(cached.x(f), cached.y(f), cached.width(f), cached.height(f));
            }
        }
    }

    /** Whether the crops were kept by the analysis: no decoding pass is needed for them. */
    boolean isCached() {
        return cached != null;
    }

    /** Whether every frame in {@code needed} has a cached crop. */
    static boolean covers(MouthCropFile cached, boolean[] needed) {
        if (cached.frames() != needed.length) {
            return false;
        }
        for (int f = 0; f < needed.length; f++) {
            if (needed[f] && !cached.has(f)) {
                return false;
            }
        }
        return true;
    }

    static int bytes(Rect r) {
        return r.width() * r.height() * 3 / 2;
    }

    Rect rect(int frame) {
        return rects[frame];
    }

    /** Copies frame {@code f}'s crop out of the decoded {@code image}: Y, then U, then V, each packed. */
    void store(int f, YuvImage image) {
        Rect r = rects[f];
        int o = 0;
        for (int y = 0; y < r.height(); y++) {
            System.arraycopy(image.data, (r.y() + y) * image.width + r.x(), buffer, o, r.width());
            o += r.width();
        }
        int cw = r.width() / 2;
        int cx = r.x() / 2;
        int cy = r.y() / 2;
        for (int plane = 0; plane < 2; plane++) {
            int base = plane == 0 ? image.uOffset() : image.vOffset();
            for (int y = 0; y < r.height() / 2; y++) {
                System.arraycopy(image.data, base + (cy + y) * image.chromaWidth() + cx, buffer, o, cw);
                o += cw;
            }
        }
        file.write(slotOf[f], buffer, o);
    }

    /** Reads frame {@code f}'s crop into {@code out} (at least {@link #maxBytes()} long). */
    void load(int f, byte[] out) {
        if (cached != null) {
            cached.load(f, out);
        } else {
            file.read(slotOf[f], out, bytes(rects[f]));
        }
    }

    int maxBytes() {
        return cached != null ? cached.maxBytes() : file.slotBytes();
    }

    @Override
    public void close() {
        if (cached != null) {
            cached.close();
        } else {
            file.close();
        }
    }
}
