package com.heygem.engine.face;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LandmarkSmootherTest {

    /** A face swaying smoothly with per-point noise: smoothing removes noise, keeps the sway in phase. */
    @Test
    void removesNoiseWithoutLaggingMotion() {
        Random random = new Random(42);
        float[] base = new float[Landmarks.VALUES];
        for (int i = 0; i < Landmarks.POINTS; i++) {
            base[2 * i] = (float) (300 + 80 * Math.cos(i * 0.37));
            base[2 * i + 1] = (float) (300 + 80 * Math.sin(i * 0.53));
        }
        FaceTrack truth = new FaceTrack();
        FaceTrack noisy = new FaceTrack();
        float[] clean = new float[Landmarks.VALUES];
        float[] frame = new float[Landmarks.VALUES];
        for (int f = 0; f < 300; f++) {
            double dx = 25 * Math.sin(2 * Math.PI * f / 45.0);
            double dy = 10 * Math.sin(2 * Math.PI * f / 70.0);
            for (int v = 0; v < Landmarks.VALUES; v++) {
                clean[v] = (float) (base[v] + (v % 2 == 0 ? dx : dy));
                frame[v] = (float) (clean[v] + random.nextGaussian() * 1.5);
            }
            truth.add(true, clean);
            noisy.add(true, frame);
        }
        FaceTrack smooth = new LandmarkSmoother(30).smooth(noisy);

        double rawJitter = LandmarkSmoother.rigidJitter(noisy);
        double smoothJitter = LandmarkSmoother.rigidJitter(smooth);
        assertThat(smoothJitter).isLessThan(rawJitter / 4);
        assertThat(LandmarkSmoother.lag(noisy, smooth, 5)).isZero();
        // Closer to the truth than the raw points, for the rigid ones.
        assertThat(rigidError(smooth, truth)).isLessThan(rigidError(noisy, truth) / 2);
    }

    @Test
    void smoothsRunsSeparatelyAndKeepsGaps() {
        FaceTrack track = new FaceTrack();
        float[] p = new float[Landmarks.VALUES];
        for (int f = 0; f < 40; f++) {
            java.util.Arrays.fill(p, f < 20 ? 100 : 400);
            track.add(f != 20, p);
        }
        FaceTrack smooth = new LandmarkSmoother(30).smooth(track);
        assertThat(smooth.present(20)).isFalse();
        smooth.landmarks(19, p);
        assertThat(p[2 * 30]).isEqualTo(100f, org.assertj.core.data.Offset.offset(1e-3f));
        smooth.landmarks(21, p);
        assertThat(p[2 * 30]).isEqualTo(400f, org.assertj.core.data.Offset.offset(1e-3f));
    }

    private static double rigidError(FaceTrack a, FaceTrack b) {
        double sum = 0;
        int n = 0;
        for (int f = 0; f < a.frames(); f++) {
            for (int i = 2 * Landmarks.RIGID_FIRST; i <= 2 * Landmarks.RIGID_LAST + 1; i++) {
                double d = a.points()[f * Landmarks.VALUES + i] - b.points()[f * Landmarks.VALUES + i];
                sum += d * d;
                n++;
            }
        }
        return Math.sqrt(sum / n);
    }
}
