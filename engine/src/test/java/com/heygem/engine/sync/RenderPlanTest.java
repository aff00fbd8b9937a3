package com.heygem.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RenderPlanTest {
    private static RenderPlan plan(int... source) {
        int[] background = new int[source.length];
        Arrays.setAll(background, t -> t);
        return new RenderPlan(background, source, 25, 0, 0);
    }

    private static boolean[] usable(int n) {
        boolean[] u = new boolean[n];
        Arrays.fill(u, true);
        return u;
    }

    @Test
    void aChangeOfSourceBecomesATwoFrameDissolveWithBothNeighbours() {
        RenderPlan p = plan(10, 11, 12, 50, 51, 52).withDissolves(usable(100), new boolean[100]);
        assertThat(p.fade()).containsExactly(-1, -1, 49, 13, -1, -1);
        assertThat(p.fadeWeight()[2]).isEqualTo(RenderPlan.DISSOLVE_WEIGHT);
        assertThat(p.fadeWeight()[3]).isEqualTo(RenderPlan.DISSOLVE_WEIGHT);
        assertThat(p.fadeWeight()[0]).isZero();
    }

    @Test
    void continuationsHoldsAndMissingFacesAreNoChange() {
        assertThat(plan(10, 11, 11, 12, -1, 30, 31).withDissolves(usable(100), new boolean[100]).fade())
                .containsExactly(-1, -1, -1, -1, -1, -1, -1);
    }

    @Test
    void aNeighbourThatIsNoUsableMouthLeavesThatSideACut() {
        boolean[] usable = usable(100);
        usable[49] = false; // no face (or held out) just before the new run
        RenderPlan p = plan(10, 11, 12, 50, 51).withDissolves(usable, new boolean[100]);
        assertThat(p.fade()).containsExactly(-1, -1, -1, 13, -1);
    }

    @Test
    void aNeighbourInAnotherShotIsNoContinuation() {
        boolean[] cuts = new boolean[100];
        cuts[13] = true; // frame 13 starts another shot: not what follows 12
        RenderPlan p = plan(10, 11, 12, 50, 51).withDissolves(usable(100), cuts);
        assertThat(p.fade()).containsExactly(-1, -1, 49, -1, -1);
    }
}
