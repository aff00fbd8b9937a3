package com.heygem.engine.render;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.image.YuvImage;

/**
 * Moves the background frame's <em>own</em> chin to where the planned mouth needs it, as Video
 * Rewrite did: a smooth displacement field, exact at the chin points (jaw 6-10: moved from the
 * background's landmarks to the planned ones) and at pins where nothing may move (the jaw's sides
 * 1-5 and 11-15, a second row of pins just outside them, and the nose). The field is a sum of
 * compactly supported Wendland bumps, so beyond {@link #SUPPORT} face widths of every control
 * point it is exactly zero and those pixels are never written.
 *
 * <p>Pasting another frame's chin brings its outline and whatever lies beyond it (a wall, hair,
 * a collar) into this frame; moving this frame's own pixels cannot. One instance per render, not
 * thread-safe, nothing allocated per frame once the buffers have grown.
 */
final class JawWarp {
    /** Chin points that follow the planned jaw. */
    static final int CHIN_FIRST = 6;
    static final int CHIN_LAST = 10;
    /** Jaw points that stay put: the face's outline beside the cheeks. */
    static final int[] PINNED_JAW = {1, 2, 3, 4, 5, 11, 12, 13, 14, 15};
    /** Points above the mouth that stay put. */
    static final int[] PINNED_NOSE = {31, 32, 33, 34, 35};
    /** How far outside the jaw's sides the second row of pins sits, in face widths. */
    static final float OUTER_PIN = 0.06f;
    /** Radius of each bump, in face widths: wide enough to span the chin, narrow enough to leave the neck. */
    static final float SUPPORT = 0.18f;
    /** Largest chin movement, in face widths: beyond it the plan asks for another face, not another mouth. */
    static final float MAX_MOVE = 0.08f;
    /**
     * Inside the face's sides (jaw 1-5 and 11-15) the field fades in over this distance (face
     * widths) and beyond them it is zero: the pins alone hold the outline only where they stand,
     * and between them a moving chin still pulled the outline (measured: 1.8 % of the band beside
     * the jaw changed on a smiling template; 0.2 % with the fade, the encoder's own level).
     */
    static final float SIDE_FADE = 0.07f;
    /** Grid spacing (pixels) on which the field is evaluated; bilinear in between. */
    static final int GRID = 8;
    /** A chin planned closer than this (pixels) to where it is stays: a third of a pixel does not show. */
    static final float MIN_MOVE = 0.5f;
    /**
     * Where the mouth's mask is at least this, the mouth replaces the pixel whatever it was: it
     * is not moved first. (The pyramid's coarse bands still see it there, but only as a smooth
     * shade a fraction of a pixel off.)
     */
    static final float COVERED = 0.999f;
    /** Displacements below this (pixels) leave the pixel as it is. */
    static final float STILL = 0.25f;

    private static final int CENTRES = (CHIN_LAST - CHIN_FIRST + 1) + 2 * PINNED_JAW.length + PINNED_NOSE.length;
    private final float[] cx = new float[CENTRES];
    private final float[] cy = new float[CENTRES];
    private final double[] vx = new double[CENTRES];
    private final double[] vy = new double[CENTRES];
    private final double[] matrix = new double[CENTRES * CENTRES];
    /** Planned jaw points 6-10 after clamping, for the mask and tests. */
    private final float[] chin = new float[2 * (CHIN_LAST - CHIN_FIRST + 1)];
    private float radius;
    private float fade;
    /** The face's sides: jaw points 1-5 then 11-15, x and y interleaved. */
    private final float[] sides = new float[4 * 5];

    private Rect region;
    private boolean moving;
    private float[] fieldX = new float[0];
    private float[] fieldY = new float[0];
    private byte[] copy = new byte[0];
    /** The control points, x and y interleaved, for the region around them. */
    private float[] points = new float[0];

    /**
     * Sets up the field taking {@code background}'s chin to {@code planned}'s (both in the
     * frame's coordinates).
     *
     * @return whether anything moves
     */
    boolean build(float[] background, float[] planned, int width, int height) {
        float faceWidth = LowerFace.faceWidth(background);
        radius = Math.max(4, SUPPORT * faceWidth);
        float maxMove = MAX_MOVE * faceWidth;
        int n = 0;
        moving = false;
        for (int i = CHIN_FIRST; i <= CHIN_LAST; i++) {
            float bx = Landmarks.x(background, i);
            float by = Landmarks.y(background, i);
            float dx = Landmarks.x(planned, i) - bx;
            float dy = Landmarks.y(planned, i) - by;
            float length = (float) Math.hypot(dx, dy);
            if (length > maxMove) {
                dx *= maxMove / length;
                dy *= maxMove / length;
            }
            int k = i - CHIN_FIRST;
            chin[2 * k] = bx + dx;
            chin[2 * k + 1] = by + dy;
            moving |= Math.abs(dx) > MIN_MOVE || Math.abs(dy) > MIN_MOVE;
            // Backward field: the output pixel at the planned point shows the background's point.
            cx[n] = bx + dx;
            cy[n] = by + dy;
            vx[n] = -dx;
            vy[n] = -dy;
            n++;
        }
        float mx = (Landmarks.x(background, 62) + Landmarks.x(background, 66)) / 2;
        float my = (Landmarks.y(background, 62) + Landmarks.y(background, 66)) / 2;
        fade = Math.max(1, SIDE_FADE * faceWidth);
        for (int k = 0; k < PINNED_JAW.length; k++) {
            sides[2 * k] = Landmarks.x(background, PINNED_JAW[k]);
            sides[2 * k + 1] = Landmarks.y(background, PINNED_JAW[k]);
        }
        for (int i : PINNED_JAW) {
            float x = Landmarks.x(background, i);
            float y = Landmarks.y(background, i);
            float ox = x - mx;
            float oy = y - my;
            float d = (float) Math.max(1e-3, Math.hypot(ox, oy));
            n = pin(n, x, y);
            n = pin(n, x + ox / d * OUTER_PIN * faceWidth, y + oy / d * OUTER_PIN * faceWidth);
        }
        for (int i : PINNED_NOSE) {
            n = pin(n, Landmarks.x(background, i), Landmarks.y(background, i));
        }
        region = null;
        if (!moving) {
            return false;
        }
        if (!solve(n)) {
            moving = false;
            return false;
        }
        // Only the bumps of points near the chin can carry a non-zero field; the pins far from it
        // have weights that cancel to zero, but their bumps still reach: cover every centre.
        region = Rect.around(interleave(n), n, radius, radius, radius, width, height);
        if (region.isEmpty()) {
            moving = false;
            return false;
        }
        evaluateGrid(n);
        return true;
    }

    private float[] interleave(int n) {
        points = Pyramid.ensure(points, 2 * n);
        for (int i = 0; i < n; i++) {
            points[2 * i] = cx[i];
            points[2 * i + 1] = cy[i];
        }
        return points;
    }

    private int pin(int n, float x, float y) {
        cx[n] = x;
        cy[n] = y;
        vx[n] = 0;
        vy[n] = 0;
        return n + 1;
    }

    /** The planned chin (jaw points 6-10, clamped), x and y interleaved. */
    float[] chin() {
        return chin;
    }

    /** The pixels the last {@link #apply} may have changed, or null when nothing moved. */
    Rect region() {
        return moving ? region : null;
    }

    /** Wendland's C2 function: positive definite in the plane, zero from {@code r = 1} on. */
    static double bump(double r) {
        if (r >= 1) {
            return 0;
        }
        double a = 1 - r;
        double a2 = a * a;
        return a2 * a2 * (4 * r + 1);
    }

    /** Solves the interpolation system for the bump weights (in place of the values); false if singular. */
    private boolean solve(int n) {
        double inv = 1.0 / radius;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                matrix[i * n + j] = bump(Math.hypot(cx[i] - cx[j], cy[i] - cy[j]) * inv);
            }
        }
        // Gaussian elimination with partial pivoting, two right-hand sides.
        for (int c = 0; c < n; c++) {
            int best = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(matrix[r * n + c]) > Math.abs(matrix[best * n + c])) {
                    best = r;
                }
            }
            if (Math.abs(matrix[best * n + c]) < 1e-9) {
                return false; // two centres on top of each other (a degenerate face)
            }
            if (best != c) {
                for (int k = 0; k < n; k++) {
                    double t = matrix[c * n + k];
                    matrix[c * n + k] = matrix[best * n + k];
                    matrix[best * n + k] = t;
                }
                double t = vx[c];
                vx[c] = vx[best];
                vx[best] = t;
                t = vy[c];
                vy[c] = vy[best];
                vy[best] = t;
            }
            double p = matrix[c * n + c];
            for (int r = c + 1; r < n; r++) {
                double f = matrix[r * n + c] / p;
                if (f == 0) {
                    continue;
                }
                for (int k = c; k < n; k++) {
                    matrix[r * n + k] -= f * matrix[c * n + k];
                }
                vx[r] -= f * vx[c];
                vy[r] -= f * vy[c];
            }
        }
        for (int r = n - 1; r >= 0; r--) {
            double sx = vx[r];
            double sy = vy[r];
            for (int k = r + 1; k < n; k++) {
                sx -= matrix[r * n + k] * vx[k];
                sy -= matrix[r * n + k] * vy[k];
            }
            vx[r] = sx / matrix[r * n + r];
            vy[r] = sy / matrix[r * n + r];
        }
        return true;
    }

    /** The field at the grid nodes over the region. */
    private void evaluateGrid(int n) {
        int gw = region.width() / GRID + 2;
        int gh = region.height() / GRID + 2;
        fieldX = Pyramid.ensure(fieldX, gw * gh);
        fieldY = Pyramid.ensure(fieldY, gw * gh);
        double inv = 1.0 / radius;
        double r2max = (double) radius * radius;
        for (int gy = 0; gy < gh; gy++) {
            float y = region.y() + gy * GRID;
            for (int gx = 0; gx < gw; gx++) {
                float x = region.x() + gx * GRID;
                double sx = 0;
                double sy = 0;
                for (int i = 0; i < n; i++) {
                    double dx = x - cx[i];
                    double dy = y - cy[i];
                    double d2 = dx * dx + dy * dy;
                    if (d2 >= r2max) {
                        continue;
                    }
                    double b = bump(Math.sqrt(d2) * inv);
                    sx += vx[i] * b;
                    sy += vy[i] * b;
                }
                float keep = sx == 0 && sy == 0 ? 0 : sideFade(x, y);
                fieldX[gy * gw + gx] = (float) (sx * keep);
                fieldY[gy * gw + gx] = (float) (sy * keep);
            }
        }
    }

    /**
     * 0 on the face's sides, rising smoothly to 1 at {@link #SIDE_FADE} face widths from them,
     * either way: how much of the field a point keeps. Unsigned, so the field stays continuous
     * round the ends of the sides, where the chin must still move (a sign test there tore the
     * beard line of a chin moving up).
     */
    private float sideFade(float x, float y) {
        float best = Float.MAX_VALUE;
        for (int side = 0; side < 2; side++) {
            for (int k = 0; k < 4; k++) {
                int a = 2 * (side * 5 + k);
                float ax = sides[a];
                float ay = sides[a + 1];
                float ex = sides[a + 2] - ax;
                float ey = sides[a + 3] - ay;
                float len2 = ex * ex + ey * ey;
                float u = len2 <= 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / len2));
                float px = ax + u * ex - x;
                float py = ay + u * ey - y;
                best = Math.min(best, px * px + py * py);
            }
        }
        float r = (float) Math.sqrt(best) / fade;
        return r >= 1 ? 1 : r * r * (3 - 2 * r);
    }

    /**
     * Moves the frame's own pixels by the field built last, except where {@code lumaCover} /
     * {@code chromaCover} (masks over {@code covered}, or null) say the mouth will replace them
     * entirely; grid cell by grid cell: a cell whose
     * four corners all move less than {@link #STILL} is left alone (most of the region: the field
     * lives round the chin), the others are resampled, luma with the Catmull-Rom table, chroma
     * bilinear.
     */
    void apply(YuvImage frame, Rect covered, float[] lumaCover, float[] chromaCover) {
        if (!moving) {
            return;
        }
        // Offsets of the cover region from this one, for the per-pixel test below.
        int coverX = covered == null ? 0 : covered.x() - region.x();
        int coverY = covered == null ? 0 : covered.y() - region.y();
        int coverW = covered == null ? 0 : covered.width();
        int coverH = covered == null ? 0 : covered.height();
        int w = region.width();
        int h = region.height();
        int stride = frame.width;
        copy = copy.length >= w * h ? copy : new byte[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(frame.data, (region.y() + y) * stride + region.x(), copy, y * w, w);
        }
        int gw = w / GRID + 2;
        int cellsX = (w + GRID - 1) / GRID;
        int cellsY = (h + GRID - 1) / GRID;
        byte[] data = frame.data;
        float[] k = Compositor.CUBIC;
        int phases = Compositor.PHASES;
        for (int cy = 0; cy < cellsY; cy++) {
            for (int cx = 0; cx < cellsX; cx++) {
                if (!loadCell(cy * gw + cx, gw)) {
                    continue;
                }
                int yEnd = Math.min(h, (cy + 1) * GRID);
                int xEnd = Math.min(w, (cx + 1) * GRID);
                for (int y = cy * GRID; y < yEnd; y++) {
                    float ay = (y - cy * GRID) / (float) GRID;
                    rowEnds(ay);
                    float left = ends[0];
                    float right = ends[1];
                    float top = ends[2];
                    float bottom = ends[3];
                    int row = (region.y() + y) * stride + region.x();
                    int cyy = y - coverY;
                    boolean coverRow = lumaCover != null && cyy >= 0 && cyy < coverH;
                    for (int x = cx * GRID; x < xEnd; x++) {
                        int cxx = x - coverX;
                        if (coverRow && cxx >= 0 && cxx < coverW && lumaCover[cyy * coverW + cxx] >= COVERED) {
                            continue;
                        }
                        float ax = (x - cx * GRID) / (float) GRID;
                        float sx = x + left + ax * (right - left);
                        float sy = y + top + ax * (bottom - top);
                        int x0 = (int) (sx + 65536) - 65536;
                        int y0 = (int) (sy + 65536) - 65536;
                        if (x0 < 1 || y0 < 1 || x0 + 2 >= w || y0 + 2 >= h) {
                            data[row + x] = clampByte(Compositor.bicubicClamped(copy, w, h, sx, sy));
                            continue;
                        }
                        int px = 4 * (int) ((sx - x0) * phases + 0.5f);
                        int py = 4 * (int) ((sy - y0) * phases + 0.5f);
                        int r = (y0 - 1) * w + x0 - 1;
                        float sum = 0;
                        for (int j = 0; j < 4; j++, r += w) {
                            sum += k[py + j] * (k[px] * (copy[r] & 0xFF) + k[px + 1] * (copy[r + 1] & 0xFF)
                                    + k[px + 2] * (copy[r + 2] & 0xFF) + k[px + 3] * (copy[r + 3] & 0xFF));
                        }
                        data[row + x] = clampByte(sum);
                    }
                }
            }
        }
        applyChroma(frame, frame.uOffset(), coverX / 2, coverY / 2, coverW / 2, coverH / 2, chromaCover);
        applyChroma(frame, frame.vOffset(), coverX / 2, coverY / 2, coverW / 2, coverH / 2, chromaCover);
    }

    /** One chroma plane: the field at each chroma sample's centre, halved, bilinear. */
    private void applyChroma(YuvImage frame, int base, int coverX, int coverY, int coverW, int coverH,
            float[] cover) {
        int w = region.width();
        int cw = w / 2;
        int ch = region.height() / 2;
        int cs = frame.chromaWidth();
        byte[] data = frame.data;
        for (int y = 0; y < ch; y++) {
            System.arraycopy(data, base + (region.y() / 2 + y) * cs + region.x() / 2, copy, y * cw, cw);
        }
        int gw = w / GRID + 2;
        int half = GRID / 2; // chroma samples per grid step
        int cellsX = (cw + half - 1) / half;
        int cellsY = (ch + half - 1) / half;
        for (int cy = 0; cy < cellsY; cy++) {
            for (int cx = 0; cx < cellsX; cx++) {
                if (!loadCell(cy * gw + cx, gw)) {
                    continue;
                }
                for (int y = cy * half; y < Math.min(ch, (cy + 1) * half); y++) {
                    // A chroma sample's centre sits at luma (2x + 0.5, 2y + 0.5).
                    float ay = (2 * (y - cy * half) + 0.5f) / GRID;
                    rowEnds(ay);
                    float left = ends[0];
                    float right = ends[1];
                    float top = ends[2];
                    float bottom = ends[3];
                    int row = base + (region.y() / 2 + y) * cs + region.x() / 2;
                    int cyy = y - coverY;
                    boolean coverRow = cover != null && cyy >= 0 && cyy < coverH;
                    for (int x = cx * half; x < Math.min(cw, (cx + 1) * half); x++) {
                        int cxx = x - coverX;
                        if (coverRow && cxx >= 0 && cxx < coverW && cover[cyy * coverW + cxx] >= COVERED) {
                            continue;
                        }
                        float ax = (2 * (x - cx * half) + 0.5f) / GRID;
                        float dx = left + ax * (right - left);
                        float dy = top + ax * (bottom - top);
                        data[row + x] = clampByte(bilinear(copy, cw, ch, x + dx / 2, y + dy / 2));
                    }
                }
            }
        }
    }

    /** The field at a grid cell's corners: x at 00, 01, 10, 11, then y the same way. */
    private final float[] cell = new float[8];

    /** The field along one row of the loaded cell: x at its left and right end, then y. */
    private final float[] ends = new float[4];

    /** Fills {@link #ends} for the row a share {@code ay} of the way down the loaded cell. */
    private void rowEnds(float ay) {
        ends[0] = cell[0] + ay * (cell[2] - cell[0]);
        ends[1] = cell[1] + ay * (cell[3] - cell[1]);
        ends[2] = cell[4] + ay * (cell[6] - cell[4]);
        ends[3] = cell[5] + ay * (cell[7] - cell[5]);
    }

    /** Loads grid cell {@code g}'s corners into {@link #cell}; false when all of them are still. */
    private boolean loadCell(int g, int gw) {
        cell[0] = fieldX[g];
        cell[1] = fieldX[g + 1];
        cell[2] = fieldX[g + gw];
        cell[3] = fieldX[g + gw + 1];
        cell[4] = fieldY[g];
        cell[5] = fieldY[g + 1];
        cell[6] = fieldY[g + gw];
        cell[7] = fieldY[g + gw + 1];
        for (float v : cell) {
            if (Math.abs(v) >= STILL) {
                return true;
            }
        }
        return false;
    }


    private static float bilinear(byte[] img, int w, int h, float x, float y) {
        x = Math.max(0, Math.min(w - 1, x));
        y = Math.max(0, Math.min(h - 1, y));
        int x0 = Math.min(w - 2, (int) x);
        int y0 = Math.min(h - 2, (int) y);
        float fx = x - x0;
        float fy = y - y0;
        int i = y0 * w + x0;
        float top = (img[i] & 0xFF) + fx * ((img[i + 1] & 0xFF) - (img[i] & 0xFF));
        float bottom = (img[i + w] & 0xFF) + fx * ((img[i + w + 1] & 0xFF) - (img[i + w] & 0xFF));
        return top + fy * (bottom - top);
    }

    private static byte clampByte(float v) {
        int i = (int) (v + 0.5f);
        return (byte) (i < 0 ? 0 : i > 255 ? 255 : i);
    }
}
