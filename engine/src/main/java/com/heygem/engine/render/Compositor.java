package com.heygem.engine.render;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.face.Similarity;
import com.heygem.engine.image.YuvImage;

/**
 * Gives a background frame another frame's mouth, in place, in I420:
 * <ol>
 * <li>a similarity transform from the source's nose, eye corners and temples to the background's
 *     places the source's mouth and chin in this frame;</li>
 * <li>the background's own chin is moved to that chin ({@link JawWarp}): the face outline and
 *     everything beyond it stay this frame's pixels;</li>
 * <li>the {@link LowerFace} region (mouth and the skin around it, inside the face), feathered;</li>
 * <li>the source resampled once, bicubic for luma, straight from its native-resolution crop;
 *     during a change of source, two sources mixed;</li>
 * <li>its brightness and colour matched to the background by a smooth plane fitted on the ring
 *     at the region's edge, eased over frames;</li>
 * <li>luma blended band by band ({@link Pyramid}), chroma by the feathered mask.</li>
 * </ol>
 * Pixels that neither the mask nor the chin's movement reaches are never written. One instance
 * per render; not thread-safe; nothing allocated per frame once the buffers have grown to the
 * largest region.
 */
final class Compositor {
    /** Points rigid with the upper jaw. */
    static final int[] STABLE = {0, 16, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 39, 42, 45};
    /** Where the mask is below this, the background shows: the colour difference is measured there. */
    static final float KNOWN_BELOW = 0.3f;
    /** Largest colour shift applied: beyond it, the source is a different scene, not different light. */
    static final float MAX_SHIFT = 40f;
    /** Differences this far off the fitted plane (grey levels) count half: structure, not light. */
    static final float ROBUST_SCALE = 12f;
    /** Each frame moves the correction this far towards its own fit: smooth, yet one frame behind a cut at most. */
    static final float COLOUR_SMOOTHING = 0.5f;

    /**
     * Gain of the detail given back after resampling (a 4-neighbour unsharp step scaled by each
     * pixel's {@link #LOSS}): a half-pixel shift takes a quarter to a third of the mouth's fine
     * detail, and a mouth softer than the rest of the face is what viewers notice first.
     * The gain is for a half-pixel position. Measured on three
     * templates at CRF 14 (so not the encoder): without it the mouth keeps 0.69-0.88 of the
     * template's Laplacian variance; with 0.5, 0.90-1.07; with 1.0, 1.16-1.33 (over-sharp). At
     * the default CRF 18, 0.55 left man_suit at 0.88 like-for-like; 0.7 gives 0.93, and no halo
     * shows at 3x zoom.
     */
    static final float DETAIL_GAIN = 0.7f;
    private float[] detailLoss = new float[0];
    private final float[] landmarks;
    private final MouthCrops crops;
    private final float[] bg = new float[Landmarks.VALUES];
    private final float[] src = new float[Landmarks.VALUES];
    private final float[] srcInBg = new float[Landmarks.VALUES];
    private final float[] transform = new float[4];
    private final float[] otherTransform = new float[4];
    private final float[] otherInBg = new float[Landmarks.VALUES];
    /** Where the mouth is planned: the source's landmarks, or a mix of two during a dissolve. */
    private final float[] planned = new float[Landmarks.VALUES];
    private final JawWarp jaw = new JawWarp();
    private float[] otherLuma = new float[0];
    private float[] otherU = new float[0];
    private float[] otherV = new float[0];
    private final Pyramid pyramid = new Pyramid();
    private byte[] crop = new byte[0];
    private final FeatherMask feather = new FeatherMask();
    private float[] mask = new float[0];
    private float[] warped = new float[0];
    private float[] diff = new float[0];
    private float[] chromaMask = new float[0];
    private float[] warpedU = new float[0];
    private float[] warpedV = new float[0];
    private final double[] fitted = new double[3];
    private final float[][] correction = new float[3][3];
    private final boolean[] colourStarted = new boolean[3];
    /** Last region written, for tests and the evaluator. */
    private Rect lastRegion;

    Compositor(float[] landmarks, MouthCrops crops) {
        this.landmarks = landmarks;
        this.crops = crops;
    }

    Rect lastRegion() {
        return lastRegion;
    }

    /** Pixels the last frame's chin movement may have changed, or null. */
    Rect lastJawRegion() {
        return lastRegion == null ? null : jaw.region();
    }

    /** The last frame's mask over {@link #lastRegion()}, row-major. */
    float[] lastMask() {
        return mask;
    }

    /**
     * Replaces the mouth of {@code frame} (template frame {@code background}) by that of template
     * frame {@code source}. Does nothing when {@code source} is negative or the background itself.
     */
    void compose(YuvImage frame, int background, int source) {
        compose(frame, background, source, -1, 0, null, 0);
    }

    /**
     * As {@link #compose(YuvImage, int, int)}, mixing in template frame {@code other}'s mouth with
     * weight {@code otherWeight}: a change of mouth source becomes a short dissolve, so the
     * wrinkles do not jump; and with the chin where {@code chin} puts it at output frame {@code t}
     * (smoothed over time), or where the source has it when {@code chin} is null.
     */
    void compose(YuvImage frame, int background, int source, int other, float otherWeight, ChinPath chin, int t) {
        lastRegion = null;
        boolean fading = other >= 0 && other != source && otherWeight > 0;
        boolean still = chin == null || chin.magnitude(t) * LowerFace.faceWidth(landmarks, background) < JawWarp.MIN_MOVE;
        if (source < 0 || (source == background && !fading && still)) {
            return; // no face, or the background's own mouth and chin: the frame is already right
        }
        System.arraycopy(landmarks, background * Landmarks.VALUES, bg, 0, Landmarks.VALUES);
        mapInto(source, transform, srcInBg);
        if (fading) {
            mapInto(other, otherTransform, otherInBg);
            for (int i = 0; i < Landmarks.VALUES; i++) {
                planned[i] = srcInBg[i] + otherWeight * (otherInBg[i] - srcInBg[i]);
            }
        } else {
            System.arraycopy(srcInBg, 0, planned, 0, Landmarks.VALUES);
        }
        if (chin != null) {
            chin.place(t, bg, planned);
        }
        // The chin first, from the frame's own pixels; then the mouth, inside the face only.
        jaw.build(bg, planned, frame.width, frame.height);
        if (source == background && !fading) {
            jaw.apply(frame, null, null, null);
            return; // its own mouth, only the chin moved (smoothed towards its neighbours')
        }
        if (!feather.build(bg, jaw.chin(), frame.width, frame.height)) {
            jaw.apply(frame, null, null, null);
            return;
        }
        // Where the mouth will cover the frame entirely, moving its pixels first would be wasted.
        jaw.apply(frame, feather.region(), feather.mask(), feather.chromaMask());
        Rect region = feather.region();
        lastRegion = region;
        float faceWidth = LowerFace.faceWidth(bg);
        int w = region.width();
        int h = region.height();
        int n = w * h;
        int cw = w / 2;
        int ch = h / 2;
        mask = feather.mask();
        chromaMask = feather.chromaMask();

        warped = Pyramid.ensure(warped, n);
        detailLoss = Pyramid.ensure(detailLoss, n);
        warpedU = Pyramid.ensure(warpedU, cw * ch);
        warpedV = Pyramid.ensure(warpedV, cw * ch);
        warpSource(source, transform, region, warped, detailLoss, warpedU, warpedV);
        if (fading) {
            otherLuma = Pyramid.ensure(otherLuma, n);
            otherU = Pyramid.ensure(otherU, cw * ch);
            otherV = Pyramid.ensure(otherV, cw * ch);
            warpSource(other, otherTransform, region, otherLuma, null, otherU, otherV);
            mixCoarse(warped, otherLuma, otherWeight, w, h, Math.max(1, Math.round(DISSOLVE_DETAIL * faceWidth)));
            mix(warpedU, otherU, otherWeight, cw * ch);
            mix(warpedV, otherV, otherWeight, cw * ch);
        }
        float cx = Landmarks.x(bg, 62);
        float cy = Landmarks.y(bg, 62);
        fitColour(warped, mask, frame, region, 0, frame.width, 0, 0, cx, cy, faceWidth);
        fitColour(warpedU, chromaMask, frame, region, frame.uOffset(), frame.chromaWidth(), 1, 1, cx, cy, faceWidth);
        fitColour(warpedV, chromaMask, frame, region, frame.vOffset(), frame.chromaWidth(), 1, 2, cx, cy, faceWidth);

        // Luma: the source with its detail restored and its light matched, minus the background;
        // blended band by band, then added where the mask is non-zero.
        diff = Pyramid.ensure(diff, n);
        byte[] data = frame.data;
        float[] c = correction[0];
        float step = 1 / faceWidth;
        float u0 = (region.x() - cx) / faceWidth;
        float v0 = (region.y() - cy) / faceWidth;
        for (int y = 0; y < h; y++) {
            int row = (region.y() + y) * frame.width + region.x();
            float light = c[0] + c[2] * (v0 + y * step) + c[1] * u0;
            float lightStep = c[1] * step;
            boolean inner = y > 0 && y < h - 1;
            for (int x = 0, i = y * w; x < w; x++, i++) {
                if (mask[i] <= 0) {
                    // Outside the mask the difference is zero: the pyramid then feathers towards "no change".
                    diff[i] = 0;
                    continue;
                }
                float v = warped[i];
                if (inner && x > 0 && x < w - 1) {
                    float around = warped[i - 1] + warped[i + 1] + warped[i - w] + warped[i + w];
                    // NaN (outside the mask) anywhere around: leave the edge pixel as resampled.
                    if (!Float.isNaN(around)) {
                        v += DETAIL_GAIN * detailLoss[i] * (v - 0.25f * around);
                    }
                }
                diff[i] = v + light + lightStep * x - (data[row + x] & 0xFF);
            }
        }
        pyramid.blend(diff, mask, chromaMask, w, h);
        for (int y = 0; y < h; y++) {
            int row = (region.y() + y) * frame.width + region.x();
            for (int x = 0, i = y * w; x < w; x++, i++) {
                float m = mask[i];
                if (m <= 0) {
                    continue;
                }
                // The coarse bands reach a little beyond the feather; fade them out inside it.
                float fade = Math.min(1, m * 8);
                data[row + x] = clampByte((data[row + x] & 0xFF) + diff[i] * fade);
            }
        }
        writeChroma(frame, region, frame.uOffset(), warpedU, correction[1], cx, cy, faceWidth);
        writeChroma(frame, region, frame.vOffset(), warpedV, correction[2], cx, cy, faceWidth);
    }

    /** Fits {@code source}'s rigid points onto the background's: {@code t} and its landmarks mapped into {@code out}. */
    private void mapInto(int source, float[] t, float[] out) {
        place(landmarks, source, bg, t, src, out);
    }

    /**
     * Where template frame {@code frame}'s face lands on the background landmarks {@code bg}: the
     * similarity {@code t} fitted on the points rigid with the upper jaw, and the frame's landmarks
     * mapped by it into {@code out}. The one rule for the compositor and the chin's path.
     *
     * @param scratch a 136-value buffer
     */
    static void place(float[] landmarks, int frame, float[] bg, float[] t, float[] scratch, float[] out) {
        System.arraycopy(landmarks, frame * Landmarks.VALUES, scratch, 0, Landmarks.VALUES);
        Similarity.fit(scratch, bg, STABLE, t, 0);
        Similarity.apply(t, 0, scratch, out);
    }

    /**
     * Scale (face widths) below which a dissolve keeps only the primary source's detail: mixing
     * two mouths' fine detail doubles teeth edges and lip lines and reads as blur (it cost 15 % of
     * the mouth's sharpness); mixing only the coarse shape and shading hides the change as well.
     */
    static final float DISSOLVE_DETAIL = 0.015f;
    private float[] blurRow = new float[0];
    private float[] blurRowCount = new float[0];
    private float[] blurCount = new float[0];

    /**
     * {@code a += weight * lowpass(b - a)}: the other mouth's coarse shape and shading mixed in,
     * the primary's fine detail kept. The low-pass is a box of radius {@code r} over the pixels
     * inside the mask (NaN outside), normalised by how many there were. {@code b} is used as
     * scratch.
     */
    private void mixCoarse(float[] a, float[] b, float weight, int w, int h, int r) {
        int n = w * h;
        blurRow = Pyramid.ensure(blurRow, n);
        blurRowCount = Pyramid.ensure(blurRowCount, n);
        blurCount = Pyramid.ensure(blurCount, n);
        for (int i = 0; i < n; i++) {
            float d = b[i] - a[i];
            boolean defined = !Float.isNaN(d);
            b[i] = defined ? d : 0;
            blurCount[i] = defined ? 1 : 0;
        }
        boxSum(b, blurCount, blurRow, blurRowCount, w, h, r, 1, w);
        boxSum(blurRow, blurRowCount, b, blurCount, h, w, r, w, 1);
        for (int i = 0; i < n; i++) {
            if (blurCount[i] > 0.5f) {
                a[i] += weight * b[i] / blurCount[i];
            }
        }
    }

    /**
     * Running box sums of radius {@code r} along lines of {@code length} samples {@code step}
     * apart, {@code lines} lines {@code lineStep} apart: values and counts together.
     */
    private static void boxSum(float[] values, float[] counts, float[] outValues, float[] outCounts, int length,
            int lines, int r, int step, int lineStep) {
        for (int line = 0; line < lines; line++) {
            int base = line * lineStep;
            float sum = 0;
            float count = 0;
            for (int k = 0; k < Math.min(r, length); k++) {
                sum += values[base + k * step];
                count += counts[base + k * step];
            }
            for (int k = 0; k < length; k++) {
                if (k + r < length) {
                    sum += values[base + (k + r) * step];
                    count += counts[base + (k + r) * step];
                }
                if (k - r - 1 >= 0) {
                    sum -= values[base + (k - r - 1) * step];
                    count -= counts[base + (k - r - 1) * step];
                }
                outValues[base + k * step] = sum;
                outCounts[base + k * step] = count;
            }
        }
    }

    /** {@code a += weight * (b - a)} over the first {@code n} values. */
    private static void mix(float[] a, float[] b, float weight, int n) {
        for (int i = 0; i < n; i++) {
            a[i] += weight * (b[i] - a[i]);
        }
    }

    /** Resamples {@code source}'s crop into the region through similarity {@code t} (source to background). */
    private void warpSource(int source, float[] t, Rect region, float[] luma, float[] loss, float[] u, float[] v) {
        Rect cropRect = crops.rect(source);
        crop = crop.length >= crops.maxBytes() ? crop : new byte[crops.maxBytes()];
        crops.load(source, crop);
        // Background pixel -> source pixel, relative to the source crop.
        float a = t[0];
        float b = t[1];
        float s2 = a * a + b * b;
        float ia = a / s2;
        float ib = -b / s2;
        float itx = -(ia * t[2] - ib * t[3]) - cropRect.x();
        float ity = -(ib * t[2] + ia * t[3]) - cropRect.y();
        if (loss == null) {
            warpLumaCoarse(region, ia, ib, itx, ity, cropRect, luma);
        } else {
            warpLuma(region, ia, ib, itx, ity, cropRect, luma, loss);
        }
        warpChroma(region, ia, ib, itx, ity, cropRect, u, v);
    }

    /**
     * The luma of a mouth only mixed in coarsely (a dissolve's other side, low-passed at once):
     * sampled bilinearly at every second pixel each way and held over the 2x2 block, a quarter
     * of the full warp's work for what the low-pass keeps anyway. NaN outside the mask, as
     * {@link #warpLuma}.
     */
    private void warpLumaCoarse(Rect region, float ia, float ib, float itx, float ity, Rect cropRect, float[] out) {
        int w = region.width();
        int h = region.height();
        int cw = cropRect.width();
        int chh = cropRect.height();
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                float gx = region.x() + x + 0.5f;
                float gy = region.y() + y + 0.5f;
                float sx = Math.max(0, Math.min(cw - 1.001f, ia * gx - ib * gy + itx));
                float sy = Math.max(0, Math.min(chh - 1.001f, ib * gx + ia * gy + ity));
                int x0 = (int) sx;
                int y0 = (int) sy;
                float fx = sx - x0;
                float fy = sy - y0;
                int r = y0 * cw + x0;
                float top = (crop[r] & 0xFF) + fx * ((crop[r + 1] & 0xFF) - (crop[r] & 0xFF));
                float bottom = (crop[r + cw] & 0xFF) + fx * ((crop[r + cw + 1] & 0xFF) - (crop[r + cw] & 0xFF));
                float v = top + fy * (bottom - top);
                for (int yy = y; yy < Math.min(h, y + 2); yy++) {
                    for (int xx = x; xx < Math.min(w, x + 2); xx++) {
                        int i = yy * w + xx;
                        out[i] = mask[i] <= 0 ? Float.NaN : v;
                    }
                }
            }
        }
    }

    /** Blends a chroma plane of the source, its colour matched by {@code c}, under the chroma mask. */
    private void writeChroma(YuvImage frame, Rect region, int base, float[] values, float[] c, float cx, float cy,
            float faceWidth) {
        int cw = region.width() / 2;
        int ch = region.height() / 2;
        int stride = frame.chromaWidth();
        byte[] data = frame.data;
        float step = 2 / faceWidth;
        float u0 = (region.x() - cx) / faceWidth;
        float v0 = (region.y() - cy) / faceWidth;
        for (int y = 0; y < ch; y++) {
            int row = base + (region.y() / 2 + y) * stride + region.x() / 2;
            float shift = c[0] + c[2] * (v0 + y * step) + c[1] * u0;
            float shiftStep = c[1] * step;
            for (int x = 0; x < cw; x++) {
                float m = chromaMask[y * cw + x];
                if (m <= 0) {
                    continue;
                }
                float old = data[row + x] & 0xFF;
                data[row + x] = clampByte(old + m * (values[y * cw + x] + shift + shiftStep * x - old));
            }
        }
    }

    /**
     * Fits the shift of the warped source towards the background: a smooth plane {@code a + b*u + c*v}
     * (u, v: position in face widths from the mouth), fitted where the background stays (mask
     * under {@link #KNOWN_BELOW}) with outliers (collar, hair, a different chin outline) weighted
     * down, and eased over frames. A mouth taken from a darker or warmer moment takes this frame's
     * shading, gradient included, and never a blotch.
     *
     * @param plane 0 luma, 1 U, 2 V: which smoothed correction ({@link #correction}) to update; it is
     *              applied where the plane is blended
     */
    private void fitColour(float[] warpedPlane, float[] planeMask, YuvImage frame, Rect region, int base,
            int stride, int shift, int plane, float cx, float cy, float faceWidth) {
        int w = region.width() >> shift;
        int h = region.height() >> shift;
        byte[] data = frame.data;
        float step = (1 << shift) / faceWidth;
        float u0 = ((region.x() - cx) / faceWidth);
        float v0 = ((region.y() - cy) / faceWidth);
        double[] p = fitted;
        java.util.Arrays.fill(p, 0);
        // Every second pixel each way is plenty for three numbers, even on a small face's chroma.
        int every = 2;
        for (int iteration = 0; iteration < 2; iteration++) {
            double s00 = 0, s01 = 0, s02 = 0, s11 = 0, s12 = 0, s22 = 0, r0 = 0, r1 = 0, r2 = 0;
            for (int y = 0; y < h; y += every) {
                int row = base + ((region.y() >> shift) + y) * stride + (region.x() >> shift);
                float v = v0 + y * step;
                for (int x = 0; x < w; x += every) {
                    int i = y * w + x;
                    float m = planeMask[i];
                    if (m >= KNOWN_BELOW || m <= 0) {
                        continue;
                    }
                    float u = u0 + x * step;
                    float d = (data[row + x] & 0xFF) - warpedPlane[i];
                    double k = 1 - m / KNOWN_BELOW;
                    if (iteration > 0) {
                        double r = (d - (p[0] + p[1] * u + p[2] * v)) / ROBUST_SCALE;
                        k /= 1 + r * r;
                    }
                    s00 += k;
                    s01 += k * u;
                    s02 += k * v;
                    s11 += k * u * u;
                    s12 += k * u * v;
                    s22 += k * v * v;
                    r0 += k * d;
                    r1 += k * d * u;
                    r2 += k * d * v;
                }
            }
            if (s00 < 10 / (every * every)) {
                return; // nothing to measure on: keep the previous correction
            }
            // Small ridge on the slopes: a thin ring must not produce a steep plane.
            double ridge = 0.05 * s00;
            solve3(s00, s01, s02, s11 + ridge, s12, s22 + ridge, r0, r1, r2, p);
        }
        p[0] = Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, p[0]));
        p[1] = Math.max(-2 * MAX_SHIFT, Math.min(2 * MAX_SHIFT, p[1]));
        p[2] = Math.max(-2 * MAX_SHIFT, Math.min(2 * MAX_SHIFT, p[2]));
        float[] c = correction[plane];
        if (!colourStarted[plane]) {
            colourStarted[plane] = true;
            for (int j = 0; j < 3; j++) {
                c[j] = (float) p[j];
            }
        } else {
            for (int j = 0; j < 3; j++) {
                c[j] += COLOUR_SMOOTHING * ((float) p[j] - c[j]);
            }
        }
    }

    /** Solves the symmetric 3x3 system by Cramer's rule into {@code out}. */
    private static void solve3(double a, double b, double c, double d, double e, double f,
            double r0, double r1, double r2, double[] out) {
        // | a b c |   | b d e |   | c e f |
        double det = a * (d * f - e * e) - b * (b * f - e * c) + c * (b * e - d * c);
        if (Math.abs(det) < 1e-12) {
            out[0] = r0 / a;
            out[1] = 0;
            out[2] = 0;
            return;
        }
        out[0] = (r0 * (d * f - e * e) - b * (r1 * f - e * r2) + c * (r1 * e - d * r2)) / det;
        out[1] = (a * (r1 * f - r2 * e) - r0 * (b * f - e * c) + c * (b * r2 - r1 * c)) / det;
        out[2] = (a * (d * r2 - e * r1) - b * (b * r2 - r1 * c) + r0 * (b * e - d * c)) / det;
    }

    private void warpLuma(Rect region, float ia, float ib, float itx, float ity, Rect cropRect, float[] warped,
            float[] detailLoss) {
        int w = region.width();
        int h = region.height();
        int cw = cropRect.width();
        int chh = cropRect.height();
        byte[] img = crop;
        float[] k = CUBIC;
        float[] loss = LOSS;
        for (int y = 0; y < h; y++) {
            float gy = region.y() + y;
            float gx = region.x();
            // Walk the row in source coordinates: one step right here is (ia, ib) there.
            float sx = ia * gx - ib * gy + itx;
            float sy = ib * gx + ia * gy + ity;
            for (int x = 0, i = y * w; x < w; x++, i++, sx += ia, sy += ib) {
                if (mask[i] <= 0) {
                    warped[i] = Float.NaN; // outside: the background stays; see compose()
                    continue;
                }
                int x0 = (int) (sx + 65536) - 65536; // floor without Math.floor's cost
                int y0 = (int) (sy + 65536) - 65536;
                int px = (int) ((sx - x0) * PHASES + 0.5f);
                int py = (int) ((sy - y0) * PHASES + 0.5f);
                detailLoss[i] = loss[px] + loss[py];
                if (x0 < 1 || y0 < 1 || x0 + 2 >= cw || y0 + 2 >= chh) {
                    warped[i] = bicubicClamped(img, cw, chh, sx, sy);
                    continue;
                }
                px <<= 2;
                py <<= 2;
                float wx0 = k[px];
                float wx1 = k[px + 1];
                float wx2 = k[px + 2];
                float wx3 = k[px + 3];
                int r = (y0 - 1) * cw + x0 - 1;
                float l0 = wx0 * (img[r] & 0xFF) + wx1 * (img[r + 1] & 0xFF) + wx2 * (img[r + 2] & 0xFF) + wx3 * (img[r + 3] & 0xFF);
                r += cw;
                float l1 = wx0 * (img[r] & 0xFF) + wx1 * (img[r + 1] & 0xFF) + wx2 * (img[r + 2] & 0xFF) + wx3 * (img[r + 3] & 0xFF);
                r += cw;
                float l2 = wx0 * (img[r] & 0xFF) + wx1 * (img[r + 1] & 0xFF) + wx2 * (img[r + 2] & 0xFF) + wx3 * (img[r + 3] & 0xFF);
                r += cw;
                float l3 = wx0 * (img[r] & 0xFF) + wx1 * (img[r + 1] & 0xFF) + wx2 * (img[r + 2] & 0xFF) + wx3 * (img[r + 3] & 0xFF);
                warped[i] = k[py] * l0 + k[py + 1] * l1 + k[py + 2] * l2 + k[py + 3] * l3;
            }
        }
    }

    private void warpChroma(Rect region, float ia, float ib, float itx, float ity, Rect cropRect, float[] warpedU,
            float[] warpedV) {
        int cw = region.width() / 2;
        int ch = region.height() / 2;
        int sw = cropRect.width() / 2;
        int sh = cropRect.height() / 2;
        int uBase = cropRect.width() * cropRect.height();
        int vBase = uBase + sw * sh;
        for (int y = 0; y < ch; y++) {
            float gy = region.y() + 2 * y + 0.5f;
            for (int x = 0; x < cw; x++) {
                if (chromaMask[y * cw + x] <= 0) {
                    continue;
                }
                float gx = region.x() + 2 * x + 0.5f;
                float sx = (ia * gx - ib * gy + itx - 0.5f) * 0.5f;
                float sy = (ib * gx + ia * gy + ity - 0.5f) * 0.5f;
                // Both planes share the taps and weights.
                int x0 = (int) (sx + 65536) - 65536;
                int y0 = (int) (sy + 65536) - 65536;
                float fx = sx - x0;
                float fy = sy - y0;
                int xa = Math.max(0, Math.min(sw - 1, x0));
                int xb = Math.max(0, Math.min(sw - 1, x0 + 1));
                int ya = Math.max(0, Math.min(sh - 1, y0)) * sw;
                int yb = Math.max(0, Math.min(sh - 1, y0 + 1)) * sw;
                float w00 = (1 - fx) * (1 - fy);
                float w01 = fx * (1 - fy);
                float w10 = (1 - fx) * fy;
                float w11 = fx * fy;
                int u = uBase;
                warpedU[y * cw + x] = w00 * (crop[u + ya + xa] & 0xFF) + w01 * (crop[u + ya + xb] & 0xFF)
                        + w10 * (crop[u + yb + xa] & 0xFF) + w11 * (crop[u + yb + xb] & 0xFF);
                int v = vBase;
                warpedV[y * cw + x] = w00 * (crop[v + ya + xa] & 0xFF) + w01 * (crop[v + ya + xb] & 0xFF)
                        + w10 * (crop[v + yb + xa] & 0xFF) + w11 * (crop[v + yb + xb] & 0xFF);
            }
        }
    }

    /** Sub-pixel positions of the Catmull-Rom weight table: 1/128 pixel at most off, far below visible. */
    static final int PHASES = 64;
    /** Catmull-Rom (a = -0.5) weights of the four taps for each phase 0, 1/64, … 1. */
    static final float[] CUBIC = new float[4 * (PHASES + 1)];

    /**
     * Share of fine detail Catmull-Rom smooths away at each phase, per axis: none at whole pixels,
     * the most half-way between ({@code 2t(1-t)}, up to 0.5).
     */
    private static final float[] LOSS = new float[PHASES + 1];

    static {
        for (int i = 0; i <= PHASES; i++) {
            float t = i / (float) PHASES;
            float t2 = t * t;
            LOSS[i] = 2 * t * (1 - t);
            CUBIC[4 * i] = 0.5f * (-t + 2 * t2 - t2 * t);
            CUBIC[4 * i + 1] = 0.5f * (2 - 5 * t2 + 3 * t2 * t);
            CUBIC[4 * i + 2] = 0.5f * (t + 4 * t2 - 3 * t2 * t);
            CUBIC[4 * i + 3] = 0.5f * (t2 * t - t2);
        }
    }

    /**
     * Catmull-Rom at ({@code x}, {@code y}) near the crop's edge, each tap clamped into it; the
     * interior is done inline in {@link #warpLuma}.
     */
    static float bicubicClamped(byte[] img, int w, int h, float x, float y) {
        int x0 = (int) (x + 65536) - 65536;
        int y0 = (int) (y + 65536) - 65536;
        int px = 4 * (int) ((x - x0) * PHASES + 0.5f);
        int py = 4 * (int) ((y - y0) * PHASES + 0.5f);
        float sum = 0;
        for (int j = -1; j <= 2; j++) {
            int row = Math.max(0, Math.min(h - 1, y0 + j)) * w;
            float line = 0;
            for (int i = -1; i <= 2; i++) {
                line += CUBIC[px + i + 1] * (img[row + Math.max(0, Math.min(w - 1, x0 + i))] & 0xFF);
            }
            sum += CUBIC[py + j + 1] * line;
        }
        return sum;
    }

    private static byte clampByte(float v) {
        int i = (int) (v + 0.5f);
        return (byte) (i < 0 ? 0 : i > 255 ? 255 : i);
    }
}
