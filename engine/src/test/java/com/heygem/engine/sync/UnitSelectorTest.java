package com.heygem.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateProfile;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Selection on a synthetic template whose mouth opens and closes every 20 frames. */
class UnitSelectorTest {
    static final int N = 200;
    static final int D = MouthSpace.D;

    /** One still face; mouth descriptors follow a 20-frame opening cycle plus a little noise. */
    static TemplateProfile profile() {
        Random r = new Random(7);
        boolean[] present = new boolean[N];
        Arrays.fill(present, true);
        float[] landmarks = new float[N * Landmarks.VALUES];
        float[] transforms = new float[N * 4];
        float[] mouth = new float[N * D];
        for (int f = 0; f < N; f++) {
            for (int i = 0; i < Landmarks.POINTS; i++) {
                landmarks[f * Landmarks.VALUES + 2 * i] = 100 + 3 * i;
                landmarks[f * Landmarks.VALUES + 2 * i + 1] = 100 + (i % 17) * 2;
            }
            transforms[4 * f] = 1;
            double phase = Math.sin(2 * Math.PI * f / 20);
            float open = (float) Math.max(0, 6 * phase + r.nextGaussian() * 0.3);
            mouth[f * D + MouthDescriptor.INNER_OPEN] = open;
            mouth[f * D + MouthDescriptor.OUTER_OPEN] = 10 + open;
            mouth[f * D + MouthDescriptor.WIDTH] = (float) (50 + r.nextGaussian());
            mouth[f * D + MouthDescriptor.ROUNDING] = (10 + open) / 50f;
            mouth[f * D + MouthDescriptor.TEETH] = open * 0.05f;
            mouth[f * D + MouthDescriptor.DARKNESS] = open * 0.1f;
        }
        TemplateProfile.Summary summary = new TemplateProfile.Summary("synthetic.mp4", 400, 400, 25, N, N / 25.0,
                true, 0.8, 1, 200, 1, new float[D], new float[D], 0, 0, 0, 0, List.of());
        return new TemplateProfile("hash", present, landmarks, transforms, mouth, new float[N], new float[N], new boolean[N], new boolean[N], summary, null);
    }

    private static float[] weights() {
        float[] w = new float[D];
        Arrays.fill(w, 1f);
        return w;
    }

    @Test
    void followsTheTargetsInRunsAndKeepsTheMouthClosedInPauses() {
        TemplateProfile p = profile();
        MouthSpace space = new MouthSpace(p);
        int frames = 150;
        float[] targets = new float[frames * D];
        boolean[] silent = new boolean[frames];
        int[] background = new int[frames];
        float[] wanted = new float[frames];
        for (int t = 0; t < frames; t++) {
            // Ask for the mouth of frame (3t mod N): a faster rhythm than the template's own.
            int like = (3 * t + 5) % N;
            System.arraycopy(space.z, like * D, targets, t * D, D);
            wanted[t] = p.mouth()[like * D + MouthDescriptor.INNER_OPEN];
            silent[t] = t >= 60 && t < 80;
            background[t] = t;
        }
        RenderPlan plan = new UnitSelector(p, space, UnitSelector.allFaces(p)).select(targets, weights(), silent,
                background, 25);

        int[] source = plan.source();
        float[] chosen = new float[frames];
        boolean[] speaking = new boolean[frames];
        for (int t = 0; t < frames; t++) {
            assertThat(source[t]).isBetween(0, N - 1);
            chosen[t] = p.mouth()[source[t] * D + MouthDescriptor.INNER_OPEN];
            speaking[t] = !silent[t];
            if (silent[t]) {
                assertThat(chosen[t]).as("frame %d in a pause", t).isLessThanOrEqualTo(space.closedLevel());
            }
        }
        assertThat(pearson(chosen, wanted, speaking)).isGreaterThan(0.8);

        // Between cuts, every run lasts at least MIN_RUN frames (a run ends at a cut: neither the
        // source's next frame nor the same frame held).
        int runStart = 0;
        for (int t = 1; t <= frames; t++) {
            boolean cut = t == frames || (source[t] != source[t - 1] + 1 && source[t] != source[t - 1]);
            if (cut) {
                if (t < frames && runStart > 0) {
                    assertThat(t - runStart).as("run ending at %d: %s", t, java.util.Arrays.toString(java.util.Arrays.copyOfRange(source, Math.max(0, t - 4), t + 1))).isGreaterThanOrEqualTo(UnitSelector.MIN_RUN);
                }
                runStart = t;
            }
        }
        assertThat(plan.jumps()).isGreaterThan(5).isLessThan(frames / UnitSelector.MIN_RUN);
    }

    @Test
    void aTargetEqualToTheBackgroundsOwnMouthKeepsTheTemplateAsItIs() {
        TemplateProfile p = profile();
        MouthSpace space = new MouthSpace(p);
        int frames = 120;
        float[] targets = new float[frames * D];
        int[] background = new int[frames];
        for (int t = 0; t < frames; t++) {
            background[t] = t + 40;
            System.arraycopy(space.z, (t + 40) * D, targets, t * D, D);
        }
        RenderPlan plan = new UnitSelector(p, space, UnitSelector.allFaces(p)).select(targets, weights(),
                new boolean[frames], background, 25);
        int own = 0;
        for (int t = 0; t < frames; t++) {
            if (plan.source()[t] == background[t]) {
                own++;
            }
        }
        assertThat(own).isGreaterThanOrEqualTo(frames - 2);
    }

    @Test
    void framesOutsideTheLibraryAreNeverChosen() {
        TemplateProfile p = profile();
        MouthSpace space = new MouthSpace(p);
        boolean[] library = UnitSelector.allFaces(p);
        for (int f = 80; f < 120; f++) {
            library[f] = false; // held out
        }
        int frames = 100;
        float[] targets = new float[frames * D];
        int[] background = new int[frames];
        for (int t = 0; t < frames; t++) {
            background[t] = 70 + t % 60;
            System.arraycopy(space.z, background[t] * D, targets, t * D, D);
        }
        RenderPlan plan = new UnitSelector(p, space, library).select(targets, weights(), new boolean[frames],
                background, 25);
        for (int s : plan.source()) {
            assertThat(library[s]).isTrue();
        }
    }

    static double pearson(float[] a, float[] b, boolean[] use) {
        double sa = 0, sb = 0, n = 0;
        for (int i = 0; i < a.length; i++) {
            if (use[i]) {
                sa += a[i];
                sb += b[i];
                n++;
            }
        }
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            if (use[i]) {
                double x = a[i] - sa / n;
                double y = b[i] - sb / n;
                ab += x * y;
                aa += x * x;
                bb += y * y;
            }
        }
        return ab / Math.sqrt(aa * bb);
    }
}
