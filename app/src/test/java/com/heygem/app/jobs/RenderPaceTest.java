package com.heygem.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What progress bars and times left are estimated from: measured stage times and the batch's sum. */
class RenderPaceTest {
    private static final RenderPace.Work HD = new RenderPace.Work(60, 500, 1500, 720, 1280);

    @Test
    void aMeasuredRenderReplacesTheFirstGuessThenRecentRendersCountMost() {
        RenderPace pace = new RenderPace(null);
        double guess = pace.expected("rendering", HD);
        assertThat(guess).isPositive();
        pace.learn(HD, Map.of("rendering", 30.0, "preparing", 3.0));
        assertThat(pace.expected("rendering", HD)).isCloseTo(30.0, within(1e-9));
        pace.learn(HD, Map.of("rendering", 40.0));
        assertThat(pace.expected("rendering", HD)).isCloseTo(30 + RenderPace.NEWEST * 10, within(1e-9));
        // Per output frame: twice the speech, twice the time.
        assertThat(pace.expected("rendering", new RenderPace.Work(120, 500, 3000, 720, 1280)))
                .isCloseTo(2 * (30 + RenderPace.NEWEST * 10), within(1e-9));
        // Another size is another figure: 1080p still has its first guess.
        RenderPace.Work fullHd = new RenderPace.Work(60, 500, 1500, 1080, 1920);
        assertThat(pace.expected("rendering", fullHd)).isEqualTo(new RenderPace(null).expected("rendering", fullHd));
        // What is left from a stage on: that stage and every later one.
        assertThat(pace.expectedFrom("rendering", HD)).isCloseTo(pace.expected("rendering", HD)
                + pace.expected("finishing", HD), within(1e-9));
        assertThat(pace.expectedFrom(null, HD)).isGreaterThan(pace.expectedFrom("rendering", HD));
    }

    @Test
    void sizesAreClassedByPixelsInEitherOrientation() {
        assertThat(RenderPace.sizeClass(512, 512)).isZero();
        assertThat(RenderPace.sizeClass(1280, 720)).isEqualTo(1);
        assertThat(RenderPace.sizeClass(720, 1280)).isEqualTo(1);
        assertThat(RenderPace.sizeClass(1080, 1920)).isEqualTo(2);
        assertThat(RenderPace.sizeClass(2160, 3840)).isEqualTo(3);
    }

    @Test
    void aBatchsTimeLeftSharesItsQueueAmongTheRendersThatCanRun() {
        assertThat(BatchEta.seconds(List.of(30.0), 2, 40, 1)).isEqualTo(70.0);
        assertThat(BatchEta.seconds(List.of(30.0), 2, 40, 2)).isEqualTo(35.0);
        assertThat(BatchEta.seconds(List.of(50.0, 10.0), 0, 0, 2)).isEqualTo(50.0); // side by side: the longest
        java.util.ArrayList<Double> unknown = new java.util.ArrayList<>();
        unknown.add(null);
        assertThat(BatchEta.seconds(unknown, 0, 0, 1)).isNull();
        assertThat(BatchEta.seconds(List.of(), 3, 60, 0)).as("no worker is up").isNull();
        assertThat(BatchEta.seconds(List.of(), 0, 0, 1)).as("nothing left").isNull();
    }
}
