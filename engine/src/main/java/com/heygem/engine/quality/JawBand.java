package com.heygem.engine.quality;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.image.YuvImage;

/**
 * The <em>ghost</em> measure: how much of the band just outside the background frame's own jaw
 * outline (beside jaw points 1-5 and 11-15, between the nose tip and the chin) a render changed.
 * A composite that pastes another frame's chin brings that frame's outline and whatever lay
 * beside it (a wall, hair, a collar) into this band; one that keeps the frame's own jaw leaves it
 * as it was, up to the encoder's noise.
 *
 * <p>Measured at a fixed face scale, so a 4K and a 256-pixel face count alike: the band is
 * {@link #WIDTH} inter-ocular distances wide, sampled on a grid where that distance is
 * {@link #SCALE} pixels, each sample the mean of the image over its grid cell. A sample counts as
 * changed when output and template differ there by more than {@link #THRESHOLD} luma levels.
 * Independent of the renderer: it knows nothing of masks or warps, only where the face outline is.
 */
public final class JawBand {
    public static final float WIDTH = 0.12f;
    public static final float SCALE = 64f;
    public static final int THRESHOLD = 16;
    static final int[] LEFT = {1, 2, 3, 4, 5};
    static final int[] RIGHT = {11, 12, 13, 14, 15};
    private static final int[][] SIDES = {LEFT, RIGHT};

    private JawBand() {
    }

    /**
     * Share of band samples changed, 0..1, or NaN when the band is outside the picture.
     *
     * @param p the template frame's landmarks (where its jaw is)
     */
    public static double ghost(YuvImage output, YuvImage template, float[] p) {
        double iod = Landmarks.interocular(p);
        if (iod < 4) {
            return Double.NaN;
        }
        double cell = iod / SCALE; // image pixels per grid step
        // The face's own up-down axis: perpendicular to the eye line, pointing to the chin.
        double roll = Landmarks.roll(p);
        double downX = -Math.sin(roll);
        double downY = Math.cos(roll);
        double top = Landmarks.x(p, 30) * downX + Landmarks.y(p, 30) * downY;
        double bottom = Landmarks.x(p, 8) * downX + Landmarks.y(p, 8) * downY;
        float mx = (Landmarks.x(p, 27) + Landmarks.x(p, 8)) / 2;
        float my = (Landmarks.y(p, 27) + Landmarks.y(p, 8)) / 2;
        int steps = Math.max(1, Math.round(WIDTH * SCALE));
        int changed = 0;
        int total = 0;
        for (int[] side : SIDES) {
            for (int k = 0; k + 1 < side.length; k++) {
                float ax = Landmarks.x(p, side[k]);
                float ay = Landmarks.y(p, side[k]);
                float bx = Landmarks.x(p, side[k + 1]);
                float by = Landmarks.y(p, side[k + 1]);
                double length = Math.hypot(bx - ax, by - ay);
                if (length <= 0) {
                    continue;
                }
                double nx = (by - ay) / length;
                double ny = -(bx - ax) / length;
                // Outward: away from the face's middle.
                if (nx * ((ax + bx) / 2 - mx) + ny * ((ay + by) / 2 - my) < 0) {
                    nx = -nx;
                    ny = -ny;
                }
                int along = Math.max(1, (int) Math.round(length / cell));
                for (int i = 0; i < along; i++) {
                    double u = (i + 0.5) / along;
                    double px = ax + u * (bx - ax);
                    double py = ay + u * (by - ay);
                    double level = px * downX + py * downY;
                    if (level < top || level > bottom) {
                        continue;
                    }
                    for (int j = 0; j < steps; j++) {
                        double x = px + nx * (j + 0.5) * cell;
                        double y = py + ny * (j + 0.5) * cell;
                        double o = cellMean(output, x, y, cell);
                        double t = cellMean(template, x, y, cell);
                        if (Double.isNaN(o) || Double.isNaN(t)) {
                            continue;
                        }
                        total++;
                        if (Math.abs(o - t) > THRESHOLD) {
                            changed++;
                        }
                    }
                }
            }
        }
        return total == 0 ? Double.NaN : changed / (double) total;
    }

    /** Mean luma over the square of side {@code cell} (at least one pixel) centred at x, y; NaN outside. */
    static double cellMean(YuvImage img, double x, double y, double cell) {
        int half = Math.max(0, (int) Math.floor(cell / 2));
        int cx = (int) Math.round(x);
        int cy = (int) Math.round(y);
        if (cx - half < 0 || cy - half < 0 || cx + half >= img.width || cy + half >= img.height) {
            return Double.NaN;
        }
        int sum = 0;
        for (int yy = cy - half; yy <= cy + half; yy++) {
            int row = yy * img.width;
            for (int xx = cx - half; xx <= cx + half; xx++) {
                sum += img.data[row + xx] & 0xFF;
            }
        }
        int side = 2 * half + 1;
        return sum / (double) (side * side);
    }
}
