package com.heygem.engine.sync;

/**
 * The model calibrated on the template's own speech: ridge regression from the audio context
 * to the mouth descriptor, its output stretched back to the template's own range (regression
 * shrinks towards the mean; a mouth that never fully opens looks mumbled).
 */
final class RegressionModel implements MouthModel {
    private final Ridge ridge;
    private final float[] stretch;
    private final float[] weights;

    RegressionModel(Ridge ridge, float[] stretch, float[] weights) {
        this.ridge = ridge;
        this.stretch = stretch;
        this.weights = weights;
    }

    @Override
    public void predict(AudioContext audio, float[] out) {
        int d = MouthSpace.D;
        for (int t = 0; t < audio.frames; t++) {
            ridge.predict(audio.values, t, out, t * d);
            for (int k = 0; k < d; k++) {
                out[t * d + k] *= stretch[k];
            }
        }
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }
}
