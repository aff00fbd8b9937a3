package com.heygem.engine.speech;

import com.heygem.engine.media.AudioClip;
import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Computes {@link SpeechFeatures} from mono sound: 25 ms Hann frames every 10 ms, one FFT per
 * frame, everything else (band energy, flux, mel cepstrum, LPC through the autocorrelation,
 * voicing) derived from that one power spectrum. About 1 ms of CPU per second of sound.
 *
 * <p>Language-independent by construction: no phoneme recogniser and no pitch, only what the
 * vocal tract's opening and shape do to the spectrum.
 */
public final class SpeechAnalyzer {
    static final double WINDOW_SECONDS = 0.025;
    static final double BAND_LOW_HZ = 300;
    static final double BAND_HIGH_HZ = 3000;
    static final int LPC_ORDER = 18;
    /** Periodicity above this counts as voiced (formants are only read there). */
    static final double VOICED = 0.45;
    /** Quiet runs up to this long inside speech are closures, longer ones silences. */
    static final double MAX_CLOSURE_SECONDS = 0.150;
    /** Active runs shorter than this are clicks, not speech. */
    static final double MIN_SPEECH_SECONDS = 0.030;
    /** Dips this far below the surrounding speech band level mark a closure too. */
    static final double CLOSURE_DIP_DB = 15;

    /** Mono samples in order, as a decoder gives them. */
    public interface Samples {
        /** Up to {@code max} samples into {@code into} from {@code offset}; 0 at the end. */
        int read(float[] into, int offset, int max);
    }

    private SpeechAnalyzer() {
    }

    /** Features of the first channel of {@code clip} (callers pass the 16 kHz mono analysis clip). */
    public static SpeechFeatures analyze(AudioClip clip) {
        if (clip.channels() != 1) {
            throw new IllegalArgumentException("speech analysis needs mono sound, got " + clip.channels() + " channels");
        }
        return analyze(clip.samples(), clip.frames(), clip.sampleRate());
    }

    public static SpeechFeatures analyze(float[] mono, int length, int rate) {
        int[] at = {0};
        return analyze((into, offset, max) -> {
            int n = Math.min(max, length - at[0]);
            System.arraycopy(mono, at[0], into, offset, n);
            at[0] += n;
            return n;
        }, rate, length);
    }

    /**
     * Features of sound read as it comes: only a second of samples is held, so memory is the
     * features' own (about 100 bytes per 10 ms: 70 MB for two hours), whatever the length.
     *
     * @param expectedSamples the length the container announces, within the media limits (the
     *                        arrays start that large; any length is right, a short one costs copies)
     */
    public static SpeechFeatures analyze(Samples in, int rate, long expectedSamples) {
        int hop = (int) Math.round(SpeechFeatures.HOP_SECONDS * rate);
        int window = (int) Math.round(WINDOW_SECONDS * rate);
        int fftSize = Integer.highestOneBit(window * 2 - 1) << 1; // room for voicing lags without wrap-around
        int bins = fftSize / 2 + 1;
        int capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE / SpeechFeatures.MFCC,
                (Math.max(0, expectedSamples) + hop - 1) / hop));
        SpeechFeatures out = new SpeechFeatures(capacity);
        double[] hann = new double[window];
        for (int i = 0; i < window; i++) {
            hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / window);
        }
        double[] windowAuto = autocorrelationOfWindow(hann, fftSize);
        double binHz = rate / (double) fftSize;
        int bandFrom = (int) Math.ceil(BAND_LOW_HZ / binHz);
        int bandTo = (int) Math.floor(BAND_HIGH_HZ / binHz);
        int minLag = (int) (rate / 400.0);
        int maxLag = Math.min(window - 1, (int) (rate / 60.0));
        double[] preEmphasis = new double[bins];
        for (int k = 0; k < bins; k++) {
            preEmphasis[k] = 1 + 0.97 * 0.97 - 2 * 0.97 * Math.cos(Math.PI * k / (bins - 1));
        }

        DoubleFFT_1D fft = new DoubleFFT_1D(fftSize);
        MelFilterBank mel = new MelFilterBank(26, bins, rate, 100, Math.min(7600, rate / 2.0 - 100), SpeechFeatures.MFCC);
        Lpc lpc = new Lpc(LPC_ORDER, rate);
        double[] buf = new double[fftSize];
        double[] power = new double[bins];
        double[] powerPre = new double[bins];
        double[] prevLog = new double[bins];
        double[] auto = new double[fftSize];
        double[] r = new double[LPC_ORDER + 1];
        double[] formants = new double[2];
        float[] frameDb = new float[capacity];
        // The samples held: ring[0] is sample number `base`; `filled` of them are there.
        float[] ring = new float[rate + window];
        long base = 0;
        int filled = 0;
        boolean ended = false;

        int f = 0;
        while (true) {
            long start = (long) f * hop + hop / 2 - window / 2;
            while (!ended && base + filled < start + window) {
                if (filled == ring.length) { // keep only what this frame and the next ones need
                    int drop = (int) (Math.max(base, start) - base);
                    System.arraycopy(ring, drop, ring, 0, filled - drop);
                    filled -= drop;
                    base += drop;
                }
                int n = in.read(ring, filled, ring.length - filled);
                if (n <= 0) {
                    ended = true;
                } else {
                    filled += n;
                }
            }
            if (ended && (long) f * hop >= base + filled) {
                break; // frames cover the sound: ceil(length / hop) of them
            }
            if (f == out.capacity()) {
                out.grow(f + f / 10 + 1000); // longer than announced: by a little, as estimates are
                frameDb = Arrays.copyOf(frameDb, out.capacity());
            }
            double energy = 0;
            Arrays.fill(buf, 0);
            for (int i = 0; i < window; i++) {
                long s = start + i;
                double v = s >= base && s < base + filled ? ring[(int) (s - base)] : 0;
                energy += v * v;
                buf[i] = v * hann[i];
            }
            frameDb[f] = (float) (10 * Math.log10(energy / window + 1e-12));
            fft.realForward(buf);
            power[0] = buf[0] * buf[0];
            power[bins - 1] = buf[1] * buf[1];
            for (int k = 1; k < bins - 1; k++) {
                power[k] = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
            }

            double band = 0;
            double change = 0;
            for (int k = bandFrom; k <= bandTo; k++) {
                band += power[k];
                double lg = Math.log(power[k] + 1e-10);
                if (f > 0) {
                    change += Math.max(0, lg - prevLog[k]);
                }
                prevLog[k] = lg;
            }
            out.bandDb[f] = (float) (10 * Math.log10(band / window + 1e-12));
            out.flux[f] = (float) (change / (bandTo - bandFrom + 1));

            for (int k = 0; k < bins; k++) {
                powerPre[k] = power[k] * preEmphasis[k];
            }
            mel.cepstrum(powerPre, out.mfcc, f * SpeechFeatures.MFCC);

            // Autocorrelation = inverse transform of the power spectrum.
            inversePower(power, auto, fft);
            double voicing = 0;
            if (auto[0] > 1e-9) {
                for (int lag = minLag; lag <= maxLag; lag++) {
                    double v = auto[lag] / auto[0] * windowAuto[0] / windowAuto[lag];
                    voicing = Math.max(voicing, v);
                }
            }
            out.voicing[f] = (float) Math.max(0, Math.min(1, voicing));

            inversePower(powerPre, auto, fft);
            System.arraycopy(auto, 0, r, 0, LPC_ORDER + 1);
            out.f1Hz[f] = Float.NaN;
            out.f2Hz[f] = Float.NaN;
            if (voicing >= VOICED && lpc.fit(r)) {
                lpc.formants(200, 3500, formants);
                out.f1Hz[f] = (float) formants[0];
                out.f2Hz[f] = (float) formants[1];
            }
            f++;
        }
        out.frames = f;
        if (f == 0) {
            return out;
        }
        int frames = f;

        normaliseLevel(out);
        normaliseFlux(out);
        detectSpeech(out, frameDb);
        for (int k = 0; k < frames; k++) {
            if (!out.speech[k] || out.closure[k]) {
                out.f1Hz[k] = Float.NaN;
                out.f2Hz[k] = Float.NaN;
            }
        }
        normaliseCepstrum(out);
        lobanov(out.f1Hz, out.f1, frames);
        lobanov(out.f2Hz, out.f2, frames);
        return out;
    }

    private static void inversePower(double[] power, double[] out, DoubleFFT_1D fft) {
        int bins = power.length;
        Arrays.fill(out, 0);
        out[0] = power[0];
        out[1] = power[bins - 1];
        for (int k = 1; k < bins - 1; k++) {
            out[2 * k] = power[k];
        }
        fft.realInverse(out, true);
    }

    /** The window's own autocorrelation, to undo its taper on the voicing measure. */
    private static double[] autocorrelationOfWindow(double[] w, int n) {
        double[] a = new double[w.length];
        for (int lag = 0; lag < w.length; lag++) {
            double s = 0;
            for (int i = 0; i + lag < w.length; i++) {
                s += w[i] * w[i + lag];
            }
            a[lag] = Math.max(s, 1e-9);
        }
        return a;
    }

    private static void normaliseLevel(SpeechFeatures out) {
        float[] sorted = Arrays.copyOf(out.bandDb, out.frames);
        Arrays.sort(sorted);
        double floor = percentile(sorted, 0.10);
        double peak = percentile(sorted, 0.97);
        // A recording without quiet parts still spans at least 30 dB, so its dips still read as dips.
        floor = Math.min(floor, peak - 30);
        for (int f = 0; f < out.frames; f++) {
            out.level[f] = (float) Math.max(0, Math.min(1, (out.bandDb[f] - floor) / (peak - floor)));
        }
    }

    private static void normaliseFlux(SpeechFeatures out) {
        float[] sorted = Arrays.copyOf(out.flux, out.frames);
        Arrays.sort(sorted);
        double high = Math.max(1e-6, percentile(sorted, 0.95));
        for (int f = 0; f < out.frames; f++) {
            out.flux[f] = (float) Math.min(2, out.flux[f] / high);
        }
    }

    /**
     * Speech where the frame stands well above the recording's noise floor; quiet runs inside
     * speech up to {@link #MAX_CLOSURE_SECONDS} become closures, and so do deep, short dips of the
     * speech band between louder sounds.
     */
    private static void detectSpeech(SpeechFeatures out, float[] frameDb) {
        int n = out.frames;
        float[] sorted = Arrays.copyOf(frameDb, n);
        Arrays.sort(sorted);
        double floor = percentile(sorted, 0.10);
        double peak = percentile(sorted, 0.95);
        // Well above the noise floor, but a recording that is all speech (no floor to speak of) is
        // still speech, and nothing near digital silence ever is.
        double threshold = Math.max(Math.max(Math.min(floor + 12, peak - 10), peak - 35), -60);
        boolean[] active = out.speech;
        for (int f = 0; f < n; f++) {
            active[f] = frameDb[f] > threshold;
        }
        int minSpeech = (int) Math.round(MIN_SPEECH_SECONDS / SpeechFeatures.HOP_SECONDS);
        int maxClosure = (int) Math.round(MAX_CLOSURE_SECONDS / SpeechFeatures.HOP_SECONDS);
        // Drop clicks.
        for (int f = 0; f < n; ) {
            int end = runEnd(active, f, n);
            if (active[f] && end - f < minSpeech) {
                Arrays.fill(active, f, end, false);
            }
            f = end;
        }
        // Short gaps between speech are closures: the speaker is still talking.
        for (int f = 0; f < n; ) {
            int end = runEnd(active, f, n);
            if (!active[f] && f > 0 && end < n && end - f <= maxClosure) {
                Arrays.fill(active, f, end, true);
                Arrays.fill(out.closure, f, end, true);
            }
            f = end;
        }
        // Deep, short dips of the speech band inside speech: stops whose burst keeps the frame energy up.
        int reach = maxClosure / 2 + 1;
        boolean[] dip = new boolean[n];
        for (int f = 0; f < n; f++) {
            if (!active[f]) {
                continue;
            }
            float left = -Float.MAX_VALUE;
            float right = -Float.MAX_VALUE;
            for (int k = 1; k <= reach; k++) {
                if (f - k >= 0 && active[f - k]) {
                    left = Math.max(left, out.bandDb[f - k]);
                }
                if (f + k < n && active[f + k]) {
                    right = Math.max(right, out.bandDb[f + k]);
                }
            }
            dip[f] = out.bandDb[f] < Math.min(left, right) - CLOSURE_DIP_DB;
        }
        for (int f = 0; f < n; ) {
            int end = runEnd(dip, f, n);
            if (dip[f] && end - f <= maxClosure) {
                Arrays.fill(out.closure, f, end, true);
            }
            f = end;
        }
    }

    private static int runEnd(boolean[] v, int from, int n) {
        int end = from + 1;
        while (end < n && v[end] == v[from]) {
            end++;
        }
        return end;
    }

    /** Mean 0, variance 1 per coefficient over the speech frames (all frames if there are none). */
    private static void normaliseCepstrum(SpeechFeatures out) {
        int c = SpeechFeatures.MFCC;
        int speechFrames = 0;
        for (int f = 0; f < out.frames; f++) {
            if (out.speech[f]) {
                speechFrames++;
            }
        }
        boolean all = speechFrames < 10;
        for (int k = 0; k < c; k++) {
            double sum = 0;
            double sq = 0;
            int count = 0;
            for (int f = 0; f < out.frames; f++) {
                if (all || out.speech[f]) {
                    double v = out.mfcc[f * c + k];
                    sum += v;
                    sq += v * v;
                    count++;
                }
            }
            double mean = count == 0 ? 0 : sum / count;
            double sd = count == 0 ? 1 : Math.sqrt(Math.max(1e-9, sq / count - mean * mean));
            for (int f = 0; f < out.frames; f++) {
                out.mfcc[f * c + k] = (float) ((out.mfcc[f * c + k] - mean) / sd);
            }
        }
    }

    /** Speaker normalisation: z-scores over the frames where the formant was found; 0 elsewhere. */
    private static void lobanov(float[] hz, float[] out, int frames) {
        double sum = 0;
        double sq = 0;
        int count = 0;
        for (int f = 0; f < frames; f++) {
            float v = hz[f];
            if (!Float.isNaN(v)) {
                sum += v;
                sq += (double) v * v;
                count++;
            }
        }
        double mean = count == 0 ? 0 : sum / count;
        double sd = count < 2 ? 1 : Math.sqrt(Math.max(1, sq / count - mean * mean));
        for (int f = 0; f < frames; f++) {
            out[f] = Float.isNaN(hz[f]) ? 0 : (float) Math.max(-3, Math.min(3, (hz[f] - mean) / sd));
        }
    }

    static double percentile(float[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.round(q * (sorted.length - 1))];
    }
}
