package com.heygem.engine.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.heygem.engine.error.HeyGemException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static int[] frames(Timeline t) {
        return IntStream.range(0, t.length()).map(t::sourceFrame).toArray();
    }

    @Test
    void shorterAudioTrimsTheTemplate() {
        Timeline t = Timeline.build(100, 25, 1.0, LoopMode.PING_PONG);
        assertThat(frames(t)).containsExactly(IntStream.range(0, 25).toArray());
    }

    @Test
    void pingPongTurnsAroundWithoutRepeatingTheEndFrames() {
        Timeline t = Timeline.build(4, 1, 10, LoopMode.PING_PONG);
        assertThat(frames(t)).containsExactly(0, 1, 2, 3, 2, 1, 0, 1, 2, 3);
    }

    @Test
    void pingPongTurnsAtTheChosenStillFrames() {
        // 10 frames, turning at 7 (not 9) and then at 2 (not 0).
        Timeline t = Timeline.build(10, 1, 20, LoopMode.PING_PONG, 7, 2);
        assertThat(frames(t)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 3, 4, 5, 6, 7, 6, 5);
    }

    @Test
    void aTrimmedTimelineNeverTurns() {
        Timeline t = Timeline.build(10, 1, 9, LoopMode.PING_PONG, 5, 2);
        assertThat(frames(t)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void loopRestartsFromTheFirstFrame() {
        Timeline t = Timeline.build(4, 1, 10, LoopMode.LOOP);
        assertThat(frames(t)).containsExactly(0, 1, 2, 3, 0, 1, 2, 3, 0, 1);
    }

    @Test
    void singleFrameTemplateHolds() {
        assertThat(frames(Timeline.build(1, 25, 0.2, LoopMode.PING_PONG))).containsOnly(0).hasSize(5);
    }

    @Test
    void outputLastsAsLongAsTheAudioWithinOneFrame() {
        for (double seconds : new double[] {0.01, 1.234, 4.574, 59.99, 3600.5}) {
            for (double fps : new double[] {24, 25, 29.97, 30, 60}) {
                Timeline t = Timeline.build(250, fps, seconds, LoopMode.PING_PONG);
                assertThat(Math.abs(t.durationSeconds() - seconds)).isLessThanOrEqualTo(1 / fps);
                for (int i = 0; i < t.length(); i++) {
                    assertThat(t.sourceFrame(i)).isBetween(0, 249);
                }
            }
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Timeline.build(10, 25, 0, LoopMode.LOOP)).isInstanceOf(HeyGemException.class);
        assertThatThrownBy(() -> Timeline.build(0, 25, 1, LoopMode.LOOP)).isInstanceOf(IllegalArgumentException.class);
    }
}
