package com.heygem.engine.template;

import com.heygem.engine.image.YuvImage;
import java.util.Arrays;

/**
 * Finds shot cuts and jump cuts: each frame is reduced to a {@link #COLUMNS}x{@link #ROWS} grid
 * of mean luma levels, and a frame whose grid differs from the previous one far more than the
 * frames on <em>both</em> sides differ from theirs starts a new shot. A talking head moves
 * smoothly, so even a jump cut that moves the head only a little is an isolated spike; a person
 * who starts moving after a still moment is not (the motion goes on), nor is a pan or a fade.
 *
 * <p>Feed every frame to {@link #next}, then ask {@link #cuts()}. Tracking restarts at a
 * {@linkplain #next hard} cut at once; landmark smoothing, mouth runs and the render's chin
 * path stop at every cut. Not thread-safe; nothing allocated per frame.
 */
public final class CutDetector {
    static final int COLUMNS = 32;
    static final int ROWS = 18;
    /** Frames on each side whose differences make the "usual" level around a frame. */
    static final int CONTEXT = 6;
    /**
     * A cut changes the grid this many times more than the usual frame-to-frame change on either
     * side. Measured on the shared templates: motion onsets reach 2-3x the busier side, the jump
     * cuts made from them (1.5 s removed) 6x and more.
     */
    static final double RATIO = 4;
    /** ...and by at least this many luma levels on average: below it is noise or flicker. */
    static final double MIN_LEVELS = 2.0;
    /** The usual level is taken as at least this: a still shot must not make noise look like a cut. */
    static final double FLOOR = 0.5;
    /** A change this large is another shot whatever is around it. */
    static final double HARD_LEVELS = 30;

    private final float[] grid = new float[COLUMNS * ROWS];
    private final float[] previous = new float[COLUMNS * ROWS];
    private float[] differences = new float[1024];
    private final float[] window = new float[CONTEXT];
    private int frames;

    /** What is known of a frame as it arrives. */
    public enum Verdict {
        /** Nothing like a cut. */
        SAME_SHOT,
        /** Changed far more than the frames before it: a cut or the start of a motion, told apart later by {@link #cuts()}. */
        MAYBE_CUT,
        /** Plainly another shot (a change of {@link #HARD_LEVELS} or more). */
        CUT
    }

    /** Takes the next frame; what the frames after it show decides subtle cases ({@link #cuts()}). */
    public Verdict next(YuvImage frame) {
        reduce(frame, grid);
        float d = 0;
        if (frames > 0) {
            for (int i = 0; i < grid.length; i++) {
                d += Math.abs(grid[i] - previous[i]);
            }
            d /= grid.length;
        }
        if (frames >= differences.length) {
            differences = Arrays.copyOf(differences, differences.length * 2);
        }
        differences[frames++] = d;
        System.arraycopy(grid, 0, previous, 0, grid.length);
        if (d >= HARD_LEVELS) {
            return Verdict.CUT;
        }
        int f = frames - 1;
        boolean spike = d >= MIN_LEVELS && d > RATIO * Math.max(FLOOR, median(Math.max(1, f - CONTEXT), f));
        return spike ? Verdict.MAYBE_CUT : Verdict.SAME_SHOT;
    }

    /** Per frame seen, whether a cut lies between it and the frame before. */
    public boolean[] cuts() {
        boolean[] cut = new boolean[frames];
        for (int f = 1; f < frames; f++) {
            double d = differences[f];
            if (d >= HARD_LEVELS) {
                cut[f] = true;
                continue;
            }
            if (d < MIN_LEVELS) {
                continue;
            }
            double before = median(Math.max(1, f - CONTEXT), f);
            double after = median(f + 1, Math.min(frames, f + 1 + CONTEXT));
            double usual = Math.max(FLOOR, Math.max(before, after));
            cut[f] = d > RATIO * usual;
        }
        return cut;
    }

    /** Median of the differences of frames {@code from..to-1}; 0 when there are none. */
    private double median(int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return 0;
        }
        System.arraycopy(differences, from, window, 0, n);
        Arrays.sort(window, 0, n);
        return n % 2 == 1 ? window[n / 2] : (window[n / 2 - 1] + window[n / 2]) / 2;
    }

    /** Mean luma per grid cell, every second pixel each way (plenty for a mean). */
    static void reduce(YuvImage frame, float[] out) {
        int w = frame.width;
        int h = frame.height;
        for (int gy = 0; gy < ROWS; gy++) {
            int y0 = gy * h / ROWS;
            int y1 = Math.max(y0 + 1, (gy + 1) * h / ROWS);
            for (int gx = 0; gx < COLUMNS; gx++) {
                int x0 = gx * w / COLUMNS;
                int x1 = Math.max(x0 + 1, (gx + 1) * w / COLUMNS);
                long sum = 0;
                int count = 0;
                for (int y = y0; y < y1 && y < h; y += 2) {
                    int row = y * w;
                    for (int x = x0; x < x1 && x < w; x += 2) {
                        sum += frame.data[row + x] & 0xFF;
                        count++;
                    }
                }
                out[gy * COLUMNS + gx] = count == 0 ? 0 : sum / (float) count;
            }
        }
    }
}
