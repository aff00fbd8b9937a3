package com.heygem.engine.face;

/**
 * The reference frame every face is aligned to: the landmark model's own mean shape, scaled so
 * the face box is {@link #SIDE} units wide. Mouth measures are taken here, so they do not
 * depend on how large the face appears or how the head is tilted.
 */
public final class CanonicalFace {
    public static final float SIDE = 200f;
    private static final int[] RIGID = Similarity.range(Landmarks.RIGID_FIRST, Landmarks.RIGID_LAST);
    private final float[] shape;

    public CanonicalFace(ShapePredictor predictor) {
        float[] mean = predictor.meanShape();
        if (mean.length != Landmarks.VALUES) {
            throw new IllegalArgumentException("the landmark model has " + mean.length / 2 + " points, not 68");
        }
        shape = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            shape[i] = mean[i] * SIDE;
        }
    }

    /** The canonical landmarks, x and y interleaved. */
    public float[] shape() {
        return shape.clone();
    }

    /**
     * Fits the image-to-canonical transform on the rigid points.
     *
     * @return RMS residual of the rigid points in canonical units: small for a face, large for a
     *         shape the predictor forced onto something that is not one
     */
    public double align(float[] landmarks, float[] transformOut, int at) {
        return Similarity.fit(landmarks, shape, RIGID, transformOut, at);
    }
}
