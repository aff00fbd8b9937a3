package com.heygem.engine.face;

/**
 * Geometry of the 68-point iBUG layout: x and y interleaved in one {@code float[136]}.
 * Indices: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, outer lips 48-59, inner lips 60-67.
 */
public final class Landmarks {
    public static final int POINTS = 68;
    public static final int VALUES = 2 * POINTS;
    /** Brows, nose and eyes: they move with the skull, not with speech. */
    public static final int RIGID_FIRST = 17;
    public static final int RIGID_LAST = 47;
    public static final int MOUTH_FIRST = 48;

    // From dlib's own boxes and landmarks on the shared golden faces (36 faces): relative to the
    // centroid and RMS spread s of the rigid points, dlib's box centre sits BOX_DY * s lower and its
    // side is BOX_SIDE * s (spread of the ratio about 9 %, the quantisation of dlib's detector scales).
    static final double BOX_DY = 0.788;
    static final double BOX_SIDE = 4.057;

    private Landmarks() {
    }

    public static float x(float[] p, int i) {
        return p[2 * i];
    }

    public static float y(float[] p, int i) {
        return p[2 * i + 1];
    }

    public static double distance(float[] p, int i, int j) {
        return Math.hypot(p[2 * i] - p[2 * j], p[2 * i + 1] - p[2 * j + 1]);
    }

    /** Centroid x of the rigid points. */
    public static double rigidCenterX(float[] p) {
        double s = 0;
        for (int i = RIGID_FIRST; i <= RIGID_LAST; i++) {
            s += p[2 * i];
        }
        return s / (RIGID_LAST - RIGID_FIRST + 1);
    }

    /** Centroid y of the rigid points. */
    public static double rigidCenterY(float[] p) {
        double s = 0;
        for (int i = RIGID_FIRST; i <= RIGID_LAST; i++) {
            s += p[2 * i + 1];
        }
        return s / (RIGID_LAST - RIGID_FIRST + 1);
    }

    /** RMS distance of the rigid points from their centroid: the face's scale in pixels. */
    public static double rigidSpread(float[] p) {
        double cx = rigidCenterX(p);
        double cy = rigidCenterY(p);
        double s = 0;
        for (int i = RIGID_FIRST; i <= RIGID_LAST; i++) {
            double dx = p[2 * i] - cx;
            double dy = p[2 * i + 1] - cy;
            s += dx * dx + dy * dy;
        }
        return Math.sqrt(s / (RIGID_LAST - RIGID_FIRST + 1));
    }

    /**
     * The square box dlib's face detector would most likely have drawn around these landmarks:
     * the box the predictor expects, so tracking feeds it the kind of box it was trained on.
     */
    public static FaceBox box(float[] p) {
        double s = rigidSpread(p);
        return FaceBox.centered(rigidCenterX(p), rigidCenterY(p) + BOX_DY * s, BOX_SIDE * s);
    }

    /**
     * The box round the mouth (points 48-67) grown by {@code grow} of its size on each side, clipped
     * to a {@code width} x {@code height} image: {x0, y0, x1, y1} (inclusive) into {@code out}.
     */
    public static void mouthBox(float[] p, float grow, int width, int height, int[] out) {
        float minX = Float.MAX_VALUE;
        float minY = Float.MAX_VALUE;
        float maxX = -Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (int i = MOUTH_FIRST; i < POINTS; i++) {
            minX = Math.min(minX, p[2 * i]);
            maxX = Math.max(maxX, p[2 * i]);
            minY = Math.min(minY, p[2 * i + 1]);
            maxY = Math.max(maxY, p[2 * i + 1]);
        }
        float gx = grow * (maxX - minX);
        float gy = grow * (maxY - minY);
        out[0] = Math.max(0, (int) (minX - gx));
        out[1] = Math.max(0, (int) (minY - gy));
        out[2] = Math.min(width - 1, (int) (maxX + gx));
        out[3] = Math.min(height - 1, (int) (maxY + gy));
    }

    /** Distance between the eye centres, in pixels. */
    public static double interocular(float[] p) {
        return Math.hypot(eyeDx(p), eyeDy(p));
    }

    /** x of the right eye's centre minus the left one's (points 42-47 and 36-41). */
    private static double eyeDx(float[] p) {
        double d = 0;
        for (int i = 36; i <= 41; i++) {
            d += p[2 * (i + 6)] - p[2 * i];
        }
        return d / 6;
    }

    private static double eyeDy(float[] p) {
        double d = 0;
        for (int i = 36; i <= 41; i++) {
            d += p[2 * (i + 6) + 1] - p[2 * i + 1];
        }
        return d / 6;
    }

    /** Eye aspect ratio (Soukupová and Čech), mean of both eyes: about 0.3 open, under 0.2 closed. */
    public static double eyeAspectRatio(float[] p) {
        return (eye(p, 36) + eye(p, 42)) / 2;
    }

    private static double eye(float[] p, int first) {
        double vertical = distance(p, first + 1, first + 5) + distance(p, first + 2, first + 4);
        double horizontal = distance(p, first, first + 3);
        return horizontal <= 0 ? 0 : vertical / (2 * horizontal);
    }

    /**
     * Head turn left or right, from where the nose tip sits between the jaw's sides: 0 facing the
     * camera, about +-0.5 in full profile. Positive when the nose is nearer the image's right.
     */
    public static double yaw(float[] p) {
        double left = distance(p, 30, 0) + distance(p, 30, 1);
        double right = distance(p, 30, 16) + distance(p, 30, 15);
        double sum = left + right;
        return sum <= 0 ? 0 : (left - right) / sum;
    }

    /** Head tilt in radians, from the line through the eye centres. */
    public static double roll(float[] p) {
        return Math.atan2(eyeDy(p), eyeDx(p));
    }
}
