package com.heygem.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.media.AudioReader;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.speech.SpeechAnalyzer;
import com.heygem.engine.speech.SpeechFeatures;
import com.heygem.engine.testing.SharedMedia;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncJudgeTest {
    @TempDir
    Path dir;

    @Test
    void theShippedJudgeSaysItsClipsAndReadsAMouthThatFollowsItsOwnExpectationOnTimeAndAShiftedOneLate()
            throws Exception {
        SyncJudge judge = SyncJudge.shipped();
        assertThat(judge.learnedFrom()).hasSizeGreaterThan(10).allMatch(n -> n.endsWith(".mp4"));
        // The renderer's timing model learned from other speakers: the judge can grade it.
        java.util.Set<String> judged = new java.util.HashSet<>();
        judge.learnedFrom().forEach(n -> judged.add(SyncJudgeTraining.speaker(n)));
        assertThat(SyncJudge.timingPrior().learnedFrom()).hasSizeGreaterThan(10)
                .noneMatch(n -> judged.contains(SyncJudgeTraining.speaker(n)));
        SpeechFeatures speech = SpeechAnalyzer.analyze(AudioReader.readForAnalysis(SharedMedia.audio("en_speech_60s.wav"),
                MediaLimits.DEFAULT));
        int frames = 25 * 20;
        float[] expected = judge.expectedOpening(speech, frames, 25);
        boolean[] use = new boolean[frames];
        Arrays.fill(use, true);
        SyncJudge.Reading onTime = judge.read(expected, use, speech, 25);
        assertThat(onTime.offsetFrames()).isZero();
        assertThat(onTime.confidence()).isGreaterThan(0.99);
        assertThat(onTime.words()).isEqualTo("on time");
        // The same mouth three frames after its sound: read late by 3.
        float[] late = new float[frames];
        System.arraycopy(expected, 0, late, 3, frames - 3);
        SyncJudge.Reading r = judge.read(late, use, speech, 25);
        assertThat(r.offsetFrames()).isEqualTo(3);
        assertThat(r.words()).isEqualTo("mouth late by 3 frames");
        assertThat(r.correlations()).hasSize(2 * SyncJudge.MAX_LAG + 1);

        // What it saves it reads back exactly.
        Path file = dir.resolve("judge.txt");
        judge.save(file);
        SyncJudge again = SyncJudge.parse(java.nio.file.Files.readString(file));
        assertThat(again.expectedOpening(speech, frames, 25)).isEqualTo(expected);
        assertThat(again.learnedFrom()).isEqualTo(judge.learnedFrom());
        assertThat(again.naturalConfidence()).isEqualTo(judge.naturalConfidence(), org.assertj.core.data.Offset.offset(1e-4));
    }

    /**
     * A real speaker the shipped judge never learned from, with the sound moved 3 frames later and 3
     * earlier by FFmpeg: the reading moves by the shift (within a frame), the way it would for a render.
     */
    @Test
    void findsAKnownShiftOfASpeakerItNeverHeard() throws Exception {
        String name = "en_m_vox2pcavs_00086_5s.mp4";
        SyncJudge judge = SyncJudge.shipped();
        assertThat(judge.learnedFrom()).doesNotContain(name);
        Path clip = SharedMedia.dir().resolve("talking").resolve(name);
        com.heygem.engine.template.TemplateProfile p = new com.heygem.engine.template.TemplateAnalyzer(
                new com.heygem.engine.template.TemplateAnalyzer.Settings(SharedMedia.landmarkModel(), dir,
                        MediaLimits.DEFAULT, com.heygem.engine.template.TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE))
                .analyze(clip, f -> { }, () -> false).profile();
        SyncJudge.Reading own = judge.read(p, com.heygem.engine.render.Speech.load(clip, MediaLimits.DEFAULT).features());
        assertThat(own.confidence()).isGreaterThan(SyncJudge.CANNOT_TELL);
        Path later = com.heygem.engine.testing.TestMedia.ffmpeg(dir.resolve("later.m4a"), "-i", clip.toString(), "-vn",
                "-af", "adelay=120:all=1", "-c:a", "aac");
        Path earlier = com.heygem.engine.testing.TestMedia.ffmpeg(dir.resolve("earlier.m4a"), "-i", clip.toString(), "-vn",
                "-af", "atrim=start=0.12,asetpts=PTS-STARTPTS", "-c:a", "aac");
        // Sound 3 frames later: the mouth now moves 3 frames before it (the reading drops by 3).
        int movedLater = judge.read(p, com.heygem.engine.render.Speech.load(later, MediaLimits.DEFAULT).features())
                .offsetFrames() - own.offsetFrames();
        int movedEarlier = judge.read(p, com.heygem.engine.render.Speech.load(earlier, MediaLimits.DEFAULT).features())
                .offsetFrames() - own.offsetFrames();
        assertThat(movedLater).isBetween(-4, -2);
        assertThat(movedEarlier).isBetween(2, 4);
    }
}
