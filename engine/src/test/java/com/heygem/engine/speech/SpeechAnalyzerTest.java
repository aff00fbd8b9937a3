package com.heygem.engine.speech;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.media.AudioClip;
import com.heygem.engine.media.AudioReader;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.testing.SharedMedia;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpeechAnalyzerTest {
    private static final int RATE = 16_000;

    @Test
    void envelopeFollowsAnAmplitudeModulatedTone() {
        int n = 3 * RATE;
        float[] s = new float[n];
        double[] modulation = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            modulation[i] = 0.05 + 0.45 * (0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t));
            s[i] = (float) (modulation[i] * Math.sin(2 * Math.PI * 1000 * t));
        }
        SpeechFeatures f = SpeechAnalyzer.analyze(s, n, RATE);
        assertThat(f.frames()).isEqualTo(300);
        double[] expectedDb = new double[f.frames()];
        double[] measured = new double[f.frames()];
        for (int i = 0; i < f.frames(); i++) {
            int centre = Math.min(n - 1, i * 160 + 80);
            expectedDb[i] = 20 * Math.log10(modulation[centre]);
            measured[i] = f.bandDb(i);
        }
        assertThat(correlation(expectedDb, measured)).isGreaterThan(0.97);
        // The level maps the same swing to 0..1: quiet troughs low, peaks near 1.
        double[] level = new double[f.frames()];
        for (int i = 0; i < f.frames(); i++) {
            level[i] = f.level(i);
        }
        assertThat(correlation(expectedDb, level)).isGreaterThan(0.95);
        Arrays.sort(level);
        assertThat(level[level.length - 5]).isGreaterThan(0.85);
        assertThat(level[5]).isLessThan(0.5);
    }

    @Test
    void formantsOfATwoFormantVowel() {
        float[] s = vowel(2.0, 700, 1200, 120, 0);
        SpeechFeatures f = SpeechAnalyzer.analyze(s, s.length, RATE);
        double[] f1 = voicedValues(f, true);
        double[] f2 = voicedValues(f, false);
        assertThat(f1.length).isGreaterThan(f.frames() / 2);
        assertThat(median(f1)).isBetween(630.0, 770.0);
        assertThat(median(f2)).isBetween(1080.0, 1320.0);
        assertThat(f.voicing(f.frames() / 2)).isGreaterThan(0.8f);
    }

    @Test
    void formantsTellOpenFromCloseVowels() {
        // "a" (F1 high, F2 mid) then "i" (F1 low, F2 high): the speaker-normalised values swap sign.
        float[] a = vowel(1.0, 750, 1250, 110, 1);
        float[] i = vowel(1.0, 300, 2200, 110, 2);
        float[] s = new float[a.length + i.length];
        System.arraycopy(a, 0, s, 0, a.length);
        System.arraycopy(i, 0, s, a.length, i.length);
        SpeechFeatures f = SpeechAnalyzer.analyze(s, s.length, RATE);
        assertThat(f.f1(50)).isGreaterThan(0.5f);
        assertThat(f.f2(50)).isLessThan(-0.5f);
        assertThat(f.f1(150)).isLessThan(-0.5f);
        assertThat(f.f2(150)).isGreaterThan(0.5f);
    }

    @Test
    void silenceIsNotSpeech() {
        float[] s = new float[2 * RATE];
        SpeechFeatures zero = SpeechAnalyzer.analyze(s, s.length, RATE);
        assertThat(zero.speechFraction()).isZero();
        Random r = new Random(1);
        for (int k = 0; k < s.length; k++) {
            s[k] = (float) (r.nextGaussian() * 1e-4);
        }
        SpeechFeatures hiss = SpeechAnalyzer.analyze(s, s.length, RATE);
        assertThat(hiss.speechFraction()).isZero();
        for (int k = 0; k < hiss.frames(); k++) {
            assertThat(hiss.mfcc(k, 0)).isFinite();
            assertThat(hiss.f1(k)).isZero();
        }
    }

    @Test
    void aShortGapInsideSpeechIsAClosureAndALongOneASilence() {
        float[] first = vowel(1.0, 700, 1200, 120, 3);
        float[] second = vowel(1.0, 500, 1500, 120, 4);
        int gap = (int) (0.060 * RATE);
        int pause = (int) (0.600 * RATE);
        float[] s = new float[2 * first.length + second.length + gap + pause];
        System.arraycopy(first, 0, s, 0, first.length);
        System.arraycopy(second, 0, s, first.length + gap, second.length);
        System.arraycopy(first, 0, s, first.length + gap + second.length + pause, first.length);
        SpeechFeatures f = SpeechAnalyzer.analyze(s, s.length, RATE);
        int gapFrame = f.frameAt(1.030);
        assertThat(f.speech(gapFrame)).isTrue();
        assertThat(f.closure(gapFrame)).isTrue();
        assertThat(f.silent(gapFrame)).isFalse();
        for (int k = 0; k < f.frameAt(0.9); k++) {
            assertThat(f.closure(k)).as("frame %d", k).isFalse();
            assertThat(f.speech(k)).as("frame %d", k).isTrue();
        }
        int pauseFrame = f.frameAt(2.06 + 0.3);
        assertThat(f.silent(pauseFrame)).isTrue();
        assertThat(f.closure(pauseFrame)).isFalse();
    }

    @Test
    void everySharedRecordingGivesSaneFeatures() {
        for (Path file : SharedMedia.audios()) {
            AudioClip clip = AudioReader.readForAnalysis(file, MediaLimits.DEFAULT);
            long start = System.nanoTime();
            SpeechFeatures f = SpeechAnalyzer.analyze(clip);
            double seconds = (System.nanoTime() - start) / 1e9;
            String name = file.getFileName().toString();
            assertThat(f.durationSeconds()).as(name).isCloseTo(clip.durationSeconds(), org.assertj.core.data.Offset.offset(0.02));
            assertThat(f.speechFraction()).as(name).isBetween(0.4, 1.0);
            double[] f1 = voicedValues(f, true);
            double[] f2 = voicedValues(f, false);
            assertThat(f1.length).as(name).isGreaterThan(f.frames() / 6);
            assertThat(median(f1)).as(name + " F1").isBetween(250.0, 950.0);
            assertThat(median(f2)).as(name + " F2").isBetween(900.0, 2300.0);
            int closures = 0;
            for (int k = 0; k < f.frames(); k++) {
                assertThat(f.level(k)).as(name).isBetween(0f, 1f);
                assertThat(f.flux(k)).as(name).isBetween(0f, 2f);
                for (int c = 0; c < SpeechFeatures.MFCC; c++) {
                    assertThat(f.mfcc(k, c)).as(name).isFinite();
                }
                if (f.closure(k) && (k == 0 || !f.closure(k - 1))) {
                    closures++;
                }
            }
            // Connected speech has lip closures every second or so.
            assertThat(closures).as(name + " closures").isGreaterThan((int) (clip.durationSeconds() / 4));
            assertThat(seconds).as(name + " analysis time").isLessThan(clip.durationSeconds() / 5 + 1);
        }
    }

    /** A glottal pulse train through two resonators, with a little jitter and noise. */
    static float[] vowel(double seconds, double f1, double f2, double pitch, long seed) {
        int n = (int) (seconds * RATE);
        double[] source = new double[n];
        Random r = new Random(seed);
        double next = 0;
        while (next < n) {
            source[(int) next] = 1;
            next += RATE / pitch * (1 + 0.01 * r.nextGaussian());
        }
        double[] y = resonate(resonate(source, f1, 80), f2, 100);
        float[] s = new float[n];
        double peak = 1e-9;
        for (double v : y) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int i = 0; i < n; i++) {
            s[i] = (float) (0.5 * y[i] / peak + 1e-4 * r.nextGaussian());
        }
        return s;
    }

    private static double[] resonate(double[] x, double freq, double bandwidth) {
        double rr = Math.exp(-Math.PI * bandwidth / RATE);
        double a1 = 2 * rr * Math.cos(2 * Math.PI * freq / RATE);
        double a2 = -rr * rr;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] + (i > 0 ? a1 * y[i - 1] : 0) + (i > 1 ? a2 * y[i - 2] : 0);
        }
        return y;
    }

    private static double[] voicedValues(SpeechFeatures f, boolean first) {
        return java.util.stream.IntStream.range(0, f.frames())
                .mapToDouble(i -> first ? f.f1Hz(i) : f.f2Hz(i))
                .filter(v -> !Double.isNaN(v))
                .toArray();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s[s.length / 2];
    }

    static double correlation(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb + 1e-30);
    }
}
