package com.heygem.engine.face;

/**
 * Zero-phase smoothing of landmark tracks, done offline over the whole video.
 *
 * <p>Each coordinate is replaced by a Gaussian-weighted local quadratic fit centred on its own
 * frame (a Savitzky-Golay filter with soft weights). Being symmetric in time it cannot lag, and
 * unlike a plain average it follows accelerating head motion instead of flattening it. Rigid
 * points (brows, eyes, nose) get a wide window, the jaw a middle one, the lips a narrow one so
 * fast articulation survives. Runs are smoothed separately: a frame without a face, or a jump
 * of the face larger than {@link #CUT_JUMP} of its size (a cut in the template), ends a run.
 */
public final class LandmarkSmoother {
    /** Window widths (Gaussian sigma) in seconds. */
    static final double RIGID_SIGMA_S = 0.08;
    static final double JAW_SIGMA_S = 0.05;
    static final double MOUTH_SIGMA_S = 0.025;
    static final double CUT_JUMP = 0.25;

    private final double rigidSigma;
    private final double jawSigma;
    private final double mouthSigma;
    private double[] in = new double[0];
    private double[] out = new double[0];

    /** @param fps frame rate of the track's timeline */
    public LandmarkSmoother(double fps) {
        this.rigidSigma = RIGID_SIGMA_S * fps;
        this.jawSigma = JAW_SIGMA_S * fps;
        this.mouthSigma = MOUTH_SIGMA_S * fps;
    }

    /** Smooths {@code source} into a new track with the same frames and presence. */
    public FaceTrack smooth(FaceTrack source) {
        return smooth(source, new boolean[source.frames()]);
    }

    /**
     * As {@link #smooth(FaceTrack)}, never across a cut found in the pictures: a jump cut may
     * move the head too little for the landmark test, and smoothing across it tilts the head a
     * frame early (a mouth on the nostrils).
     *
     * @param cutBefore per frame, whether a cut lies between it and the frame before
     */
    public FaceTrack smooth(FaceTrack source, boolean[] cutBefore) {
        int frames = source.frames();
        float[] raw = source.points();
        FaceTrack result = new FaceTrack();
        float[] frame = new float[Landmarks.VALUES];
        for (int f = 0; f < frames; f++) {
            source.landmarks(f, frame);
            result.add(source.present(f), frame);
        }
        float[] dst = result.points();
        int f = 0;
        while (f < frames) {
            if (!source.present(f)) {
                f++;
                continue;
            }
            int end = f + 1;
            while (end < frames && source.present(end) && !cutBefore[end] && !isCut(raw, end - 1, end)) {
                end++;
            }
            smoothRun(raw, dst, f, end);
            f = end;
        }
        return result;
    }

    private static boolean isCut(float[] p, int a, int b) {
        double ax = 0;
        double ay = 0;
        double bx = 0;
        double by = 0;
        double spread = 0;
        for (int i = Landmarks.RIGID_FIRST; i <= Landmarks.RIGID_LAST; i++) {
            ax += p[a * Landmarks.VALUES + 2 * i];
            ay += p[a * Landmarks.VALUES + 2 * i + 1];
            bx += p[b * Landmarks.VALUES + 2 * i];
            by += p[b * Landmarks.VALUES + 2 * i + 1];
        }
        int n = Landmarks.RIGID_LAST - Landmarks.RIGID_FIRST + 1;
        ax /= n;
        ay /= n;
        bx /= n;
        by /= n;
        for (int i = Landmarks.RIGID_FIRST; i <= Landmarks.RIGID_LAST; i++) {
            double dx = p[a * Landmarks.VALUES + 2 * i] - ax;
            double dy = p[a * Landmarks.VALUES + 2 * i + 1] - ay;
            spread += dx * dx + dy * dy;
        }
        double side = Landmarks.BOX_SIDE * Math.sqrt(spread / n);
        return Math.hypot(bx - ax, by - ay) > CUT_JUMP * side;
    }

    private void smoothRun(float[] src, float[] dst, int from, int to) {
        int n = to - from;
        if (in.length < n) {
            in = new double[n];
            out = new double[n];
        }
        for (int v = 0; v < Landmarks.VALUES; v++) {
            int point = v / 2;
            double sigma = point >= Landmarks.MOUTH_FIRST ? mouthSigma
                    : point < Landmarks.RIGID_FIRST ? jawSigma : rigidSigma;
            for (int t = 0; t < n; t++) {
                in[t] = src[(from + t) * Landmarks.VALUES + v];
            }
            localQuadratic(in, out, n, sigma);
            for (int t = 0; t < n; t++) {
                dst[(from + t) * Landmarks.VALUES + v] = (float) out[t];
            }
        }
    }

    /**
     * Gaussian-weighted quadratic regression around each sample, evaluated at the sample. Near
     * the ends the window is one-sided and the fit extrapolates a little less well; with fewer
     * than five samples in reach it falls back to a straight line, then to the value itself.
     */
    static void localQuadratic(double[] x, double[] y, int n, double sigma) {
        if (sigma < 0.3) {
            System.arraycopy(x, 0, y, 0, n);
            return;
        }
        int half = (int) Math.ceil(3 * sigma);
        double inv = 1 / (2 * sigma * sigma);
        for (int t = 0; t < n; t++) {
            int a = Math.max(0, t - half);
            int b = Math.min(n - 1, t + half);
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double s4 = 0;
            double r0 = 0;
            double r1 = 0;
            double r2 = 0;
            for (int k = a; k <= b; k++) {
                double d = k - t;
                double w = Math.exp(-d * d * inv);
                double wd = w * d;
                double wd2 = wd * d;
                s0 += w;
                s1 += wd;
                s2 += wd2;
                s3 += wd2 * d;
                s4 += wd2 * d * d;
                r0 += w * x[k];
                r1 += wd * x[k];
                r2 += wd2 * x[k];
            }
            int count = b - a + 1;
            double value;
            // Solve the 3x3 normal equations for the constant term (the fit's value at d = 0).
            double det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
            if (count >= 5 && Math.abs(det) > 1e-9) {
                value = (r0 * (s2 * s4 - s3 * s3) - s1 * (r1 * s4 - s3 * r2) + s2 * (r1 * s3 - s2 * r2)) / det;
            } else {
                double det2 = s0 * s2 - s1 * s1;
                value = count >= 2 && Math.abs(det2) > 1e-9 ? (r0 * s2 - s1 * r1) / det2 : x[t];
            }
            y[t] = value;
        }
    }

    /**
     * Frame-to-frame jitter of the rigid points: RMS of their second temporal difference (their
     * acceleration, which steady or smoothly moving heads barely have), divided by the
     * inter-ocular distance. Frames where the face is missing are skipped.
     */
    public static double rigidJitter(FaceTrack track) {
        float[] p = track.points();
        float[] frame = new float[Landmarks.VALUES];
        double sum = 0;
        long count = 0;
        for (int f = 1; f + 1 < track.frames(); f++) {
            if (!track.present(f - 1) || !track.present(f) || !track.present(f + 1)) {
                continue;
            }
            track.landmarks(f, frame);
            double scale = Landmarks.interocular(frame);
            if (scale <= 0) {
                continue;
            }
            for (int i = 2 * Landmarks.RIGID_FIRST; i <= 2 * Landmarks.RIGID_LAST + 1; i++) {
                double acc = p[(f - 1) * Landmarks.VALUES + i] - 2 * p[f * Landmarks.VALUES + i]
                        + p[(f + 1) * Landmarks.VALUES + i];
                sum += (acc / scale) * (acc / scale);
                count++;
            }
        }
        return count == 0 ? 0 : Math.sqrt(sum / count);
    }

    /**
     * The shift, in frames, that best aligns the smoothed track's rigid-centroid motion with the
     * raw one (cross-correlation of the frame-to-frame velocities over +-{@code maxLag}); 0 means
     * no lag.
     */
    public static int lag(FaceTrack raw, FaceTrack smoothed, int maxLag) {
        int n = raw.frames();
        double[] vr = new double[n];
        double[] vs = new double[n];
        float[] a = new float[Landmarks.VALUES];
        float[] b = new float[Landmarks.VALUES];
        for (int f = 1; f < n; f++) {
            if (!raw.present(f) || !raw.present(f - 1)) {
                continue;
            }
            raw.landmarks(f, a);
            raw.landmarks(f - 1, b);
            vr[f] = Landmarks.rigidCenterX(a) - Landmarks.rigidCenterX(b) + Landmarks.rigidCenterY(a) - Landmarks.rigidCenterY(b);
            smoothed.landmarks(f, a);
            smoothed.landmarks(f - 1, b);
            vs[f] = Landmarks.rigidCenterX(a) - Landmarks.rigidCenterX(b) + Landmarks.rigidCenterY(a) - Landmarks.rigidCenterY(b);
        }
        int best = 0;
        double bestCorr = Double.NEGATIVE_INFINITY;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double c = 0;
            for (int f = Math.max(0, -lag); f < n && f + lag < n; f++) {
                c += vr[f] * vs[f + lag];
            }
            if (c > bestCorr) {
                bestCorr = c;
                best = lag;
            }
        }
        return best;
    }
}
