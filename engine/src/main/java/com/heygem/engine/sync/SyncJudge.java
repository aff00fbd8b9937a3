package com.heygem.engine.sync;

import com.heygem.engine.speech.SpeechFeatures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How far a video's mouth runs from its sound, read by a model of how real people's mouths move
 * with their speech: ridge regression from the sound around each frame ({@link AudioContext}) to
 * the mouth's inner opening, learned from the natural footage of many speakers, none of them the
 * template a render used. The renderer neither uses it nor is tuned by it, so it can grade the
 * renderer's timing: the lag at which the opening it expects from the sound best matches the
 * opening seen is the offset.
 *
 * <p>Positive offsets: the mouth is late (it moves after the sound that goes with it).
 */
public final class SyncJudge {
    /** Lags tried each way, in frames (±0.4 s at 25 fps). */
    public static final int MAX_LAG = 10;
    private static final String RESOURCE = "sync-judge.txt";
    /** Frames with a visible mouth below which it cannot tell. */
    static final int MIN_FRAMES = 50;

    /**
     * One talking video to learn from or to read.
     *
     * @param speaker who speaks (leave-one-speaker-out keeps every clip of a speaker out together)
     * @param opening the mouth's inner opening per video frame, any scale
     * @param use     frames where the mouth was seen (face found, mouth not covered)
     */
    public record Clip(String name, String speaker, float[] opening, boolean[] use, SpeechFeatures speech, double fps) {
    }

    /**
     * @param offsetFrames the lag with the best match: positive, the mouth is late by that many frames
     * @param confidence   the correlation of expected and seen opening at that lag (−1…1)
     * @param correlations the correlation at every lag from {@code -MAX_LAG} to {@code +MAX_LAG}
     */
    public record Reading(int offsetFrames, double confidence, double[] correlations) {
        /** The offset in words: "mouth late by 2 frames", "mouth early by 1 frame", "on time". */
        public String words() {
            int n = Math.abs(offsetFrames);
            return offsetFrames == 0 ? "on time" : "mouth " + (offsetFrames > 0 ? "late" : "early") + " by " + n
                    + (n == 1 ? " frame" : " frames");
        }
    }

    private final Ridge ridge;
    private final double lambda;
    private final List<String> learnedFrom;
    private final int naturalOffset;
    private final double naturalConfidence;

    private SyncJudge(Ridge ridge, double lambda, List<String> learnedFrom, int naturalOffset, double naturalConfidence) {
        this.ridge = ridge;
        this.lambda = lambda;
        this.learnedFrom = List.copyOf(learnedFrom);
        this.naturalOffset = naturalOffset;
        this.naturalConfidence = naturalConfidence;
    }

    /**
     * The judge shipped with HeyGem: learned by {@code SyncJudgeTraining} from half of the speakers
     * of {@code shared/media/talking}, none of whom the renderer's {@link #timingPrior} learned from.
     */
    public static SyncJudge shipped() {
        return Loaded.JUDGE;
    }

    /**
     * The renderer's model of natural timing, from the other half of the speakers: it reads how
     * far a template's own recording runs from its sound, so that a render does not copy it.
     */
    public static SyncJudge timingPrior() {
        return Loaded.PRIOR;
    }

    /** Read once, on first use (immutable). */
    private static final class Loaded {
        static final SyncJudge JUDGE = load(RESOURCE);
        static final SyncJudge PRIOR = load("timing-prior.txt");
    }

    private static SyncJudge load(String resource) {
        try (InputStream in = SyncJudge.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The clips it was learned from. */
    public List<String> learnedFrom() {
        return learnedFrom;
    }

    /** The median offset it reads on natural footage it did not learn from (leave-one-speaker-out). */
    public int naturalOffset() {
        return naturalOffset;
    }

    /** The median confidence it reads on natural footage it did not learn from. */
    public double naturalConfidence() {
        return naturalConfidence;
    }

    /**
     * Learns from {@code clips}, taken as naturally in sync.
     *
     * @param lambda ridge strength on standardised inputs
     */
    public static SyncJudge learn(List<Clip> clips, double lambda, int naturalOffset, double naturalConfidence) {
        int rows = 0;
        for (Clip c : clips) {
            rows += c.opening().length;
        }
        int p = AudioContext.DIM;
        float[] x = new float[rows * p];
        float[] y = new float[rows];
        boolean[] use = new boolean[rows];
        int at = 0;
        for (Clip c : clips) {
            int frames = c.opening().length;
            AudioContext audio = AudioContext.of(c.speech(), frames, c.fps(), 0);
            System.arraycopy(audio.values, 0, x, at * p, frames * p);
            float[] z = standardised(c.opening(), c.use());
            System.arraycopy(z, 0, y, at, frames);
            System.arraycopy(c.use(), 0, use, at, frames);
            at += frames;
        }
        Ridge ridge = new Ridge.Gram(x, p, y, 1, use).solve(lambda);
        List<String> names = new ArrayList<>();
        for (Clip c : clips) {
            names.add(c.name());
        }
        return new SyncJudge(ridge, lambda, names, naturalOffset, naturalConfidence);
    }

    /**
     * Each speaker read by a judge learned from all the others: what the judge makes of natural
     * footage it has never seen. One reading per clip, in the order given.
     */
    public static List<Reading> leaveOneSpeakerOut(List<Clip> clips, double lambda) {
        Set<String> speakers = new LinkedHashSet<>();
        for (Clip c : clips) {
            speakers.add(c.speaker());
        }
        Reading[] out = new Reading[clips.size()];
        for (String s : speakers) {
            List<Clip> others = new ArrayList<>();
            for (Clip c : clips) {
                if (!c.speaker().equals(s)) {
                    others.add(c);
                }
            }
            SyncJudge judge = learn(others, lambda, 0, 0);
            for (int i = 0; i < clips.size(); i++) {
                Clip c = clips.get(i);
                if (c.speaker().equals(s)) {
                    out[i] = judge.read(c.opening(), c.use(), c.speech(), c.fps());
                }
            }
        }
        return List.of(out);
    }

    /** The opening expected from each frame's sound context (standard units), for a model of natural timing. */
    float[] expectedOpening(AudioContext audio) {
        float[] out = new float[audio.frames];
        float[] one = new float[1];
        for (int t = 0; t < audio.frames; t++) {
            ridge.predict(audio.values, t, one, 0);
            out[t] = one[0];
        }
        return out;
    }

    /** The opening this judge expects from the sound, per video frame (standard units). */
    public float[] expectedOpening(SpeechFeatures speech, int frames, double fps) {
        return expectedOpening(AudioContext.of(speech, frames, fps, 0));
    }

    /** How far the mouth of an analysed video runs from {@code speech} (usually its own sound). */
    public Reading read(com.heygem.engine.template.TemplateProfile video, SpeechFeatures speech) {
        int frames = video.frames();
        float[] opening = new float[frames];
        boolean[] use = new boolean[frames];
        for (int t = 0; t < frames; t++) {
            opening[t] = video.mouth()[t * com.heygem.engine.template.MouthDescriptor.SIZE
                    + com.heygem.engine.template.MouthDescriptor.INNER_OPEN];
            use[t] = video.facePresent()[t] && !video.mouthCovered()[t];
        }
        return read(opening, use, speech, video.summary().fps());
    }

    /** Below this confidence the judge cannot tell (too little visible speech, a mouth that hardly moves). */
    public static final double CANNOT_TELL = 0.15;

    /** How far {@code opening} runs from the opening {@code speech} calls for. */
    public Reading read(float[] opening, boolean[] use, SpeechFeatures speech, double fps) {
        float[] expected = expectedOpening(speech, opening.length, fps);
        int seen = 0;
        for (boolean u : use) {
            seen += u ? 1 : 0;
        }
        double[] c = new double[2 * MAX_LAG + 1];
        if (seen < MIN_FRAMES) {
            Arrays.fill(c, Double.NaN);
            return new Reading(0, Double.NaN, c); // under two seconds of mouth: it cannot tell
        }
        int best = 0;
        double bestC = Double.NaN;
        for (int k = -MAX_LAG; k <= MAX_LAG; k++) {
            // seen[t + k] against expected[t], counted where the mouth was seen
            c[k + MAX_LAG] = Pearson.lagged(opening, expected, use, -k);
            if (c[k + MAX_LAG] > bestC || Double.isNaN(bestC) && !Double.isNaN(c[k + MAX_LAG])) {
                bestC = c[k + MAX_LAG];
                best = k;
            }
        }
        return new Reading(best, bestC, c);
    }

    /** A reading in words, beside what this judge reads on natural footage. */
    public String says(Reading r) {
        if (!(r.confidence() >= CANNOT_TELL)) {
            return String.format(Locale.ROOT, "sync judge: cannot tell (confidence %.2f: too little visible speech, or a"
                    + " mouth that hardly moves)", r.confidence());
        }
        return String.format(Locale.ROOT, "sync judge: %s (offset %+d; natural footage reads %+d at the median),"
                + " confidence %.2f (natural median %.2f)", r.words(), r.offsetFrames(), naturalOffset,
                r.confidence(), naturalConfidence);
    }

    /** Mean 0, deviation 1 over the frames used (others 0): speakers and cameras on one scale. */
    static float[] standardised(float[] v, boolean[] use) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int t = 0; t < v.length; t++) {
            if (use[t]) {
                sum += v[t];
                sq += (double) v[t] * v[t];
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double sd = n < 2 ? 1 : Math.sqrt(Math.max(1e-12, sq / n - mean * mean));
        float[] out = new float[v.length];
        for (int t = 0; t < v.length; t++) {
            out[t] = use[t] ? (float) ((v[t] - mean) / sd) : 0;
        }
        return out;
    }

    /** Writes the coefficient file (text: a header, the clips, the ridge on one line). */
    public void save(Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# HeyGem's audio-to-mouth timing model: ridge regression from the sound around each frame to the mouth's inner\n");
        b.append("# opening, learned from real speakers' own footage. Retrained by SyncJudgeTraining (engine tests).\n");
        b.append(String.format(Locale.ROOT, "lambda %s%nnaturalOffset %d%nnaturalConfidence %.4f%n", lambda,
                naturalOffset, naturalConfidence));
        for (String c : learnedFrom) {
            b.append("clip ").append(c).append('\n');
        }
        b.append("ridge ").append(ridge.encode()).append('\n');
        Files.writeString(file, b.toString());
    }

    static SyncJudge parse(String text) throws IOException {
        double lambda = 0;
        int naturalOffset = 0;
        double naturalConfidence = 0;
        List<String> clips = new ArrayList<>();
        Ridge ridge = null;
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                String key = line.substring(0, space);
                String value = line.substring(space + 1).trim();
                switch (key) {
                    case "lambda" -> lambda = Double.parseDouble(value);
                    case "naturalOffset" -> naturalOffset = Integer.parseInt(value);
                    case "naturalConfidence" -> naturalConfidence = Double.parseDouble(value);
                    case "clip" -> clips.add(value);
                    case "ridge" -> ridge = Ridge.decode(value);
                    default -> throw new IOException("the sync judge's file has an unknown line: " + key);
                }
            }
        }
        if (ridge == null) {
            throw new IOException("the sync judge's file has no ridge line");
        }
        return new SyncJudge(ridge, lambda, Collections.unmodifiableList(clips), naturalOffset, naturalConfidence);
    }
}
