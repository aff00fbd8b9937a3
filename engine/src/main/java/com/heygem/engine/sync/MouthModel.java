package com.heygem.engine.sync;

/** Predicts, for each video frame, the mouth descriptor the sound calls for (template z-scores). */
public interface MouthModel {
    /** Writes {@code MouthSpace.D} z-scores per frame of {@code audio} into {@code out}. */
    void predict(AudioContext audio, float[] out);

    /** How much each descriptor should count when choosing frames: how well it can be predicted. */
    float[] weights();
}
