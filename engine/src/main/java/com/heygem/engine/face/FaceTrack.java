package com.heygem.engine.face;

import java.util.Arrays;

/**
 * The primary face's landmarks over a whole video, one entry per frame of the timeline, in
 * flat arrays that grow as frames arrive (about 0.6 KB a frame, 10 MB for ten minutes at 30 fps).
 */
public final class FaceTrack {
    private int frames;
    private boolean[] present = new boolean[256];
    private float[] points = new float[256 * Landmarks.VALUES];

    public int frames() {
        return frames;
    }

    public boolean present(int frame) {
        return present[frame];
    }

    /** Landmarks of {@code frame} in {@code out}; meaningless when the face is absent. */
    public void landmarks(int frame, float[] out) {
        System.arraycopy(points, frame * Landmarks.VALUES, out, 0, Landmarks.VALUES);
    }

    /** The backing array: frame {@code f}, point {@code i} is at {@code f * 136 + 2 * i}. */
    public float[] points() {
        return points;
    }

    public void add(boolean facePresent, float[] landmarks) {
        ensure(frames + 1);
        present[frames] = facePresent;
        if (facePresent) {
            System.arraycopy(landmarks, 0, points, frames * Landmarks.VALUES, Landmarks.VALUES);
        }
        frames++;
    }

    /** Marks frames {@code from..to-1} as having no face after all. */
    public void retract(int from, int to) {
        Arrays.fill(present, Math.max(0, from), Math.min(frames, to), false);
    }

    public int presentCount() {
        int n = 0;
        for (int i = 0; i < frames; i++) {
            if (present[i]) {
                n++;
            }
        }
        return n;
    }

    private void ensure(int capacity) {
        if (capacity > present.length) {
            int n = Math.max(capacity, present.length * 2);
            present = Arrays.copyOf(present, n);
            points = Arrays.copyOf(points, n * Landmarks.VALUES);
        }
    }
}
