package com.heygem.engine.quality;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.Ffmpeg;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.render.Speech;
import com.heygem.engine.sync.Pearson;
import com.heygem.engine.sync.SyncJudge;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.template.TemplateProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The timing check with a known answer: a talking template's sound is taken off, the silent copy
 * is made to speak that very sound (so nothing was learnt from it), and the mouth found in the
 * result is compared with the person's real mouth frame by frame. The shift that matches them
 * best is the render's true offset: positive, the rendered mouth moves before the real one.
 */
public final class OwnAudioCheck {
    public static final int MAX_OFFSET = 5;

    /**
     * @param offsetFrames how many frames the rendered mouth leads the real one (negative: late)
     * @param correlation  of rendered and real opening at that shift
     * @param frames       frames compared
     * @param realJudged   the sync judge's reading of the template's own footage (positive: its mouth late)
     * @param renderJudged the judge's reading of the render, against the same sound
     */
    public record Result(int offsetFrames, double correlation, int frames, SyncJudge.Reading realJudged,
            SyncJudge.Reading renderJudged) {
        /**
         * The render's offset from natural timing as this check sees it: the renderer follows how
         * people's mouths move with their sound, not the recording's own offset, so a recording
         * whose mouth is late by R frames (judge, beyond natural footage's median) gets a render
         * R frames ahead of it. Positive: the render is early. Meaningful only when the judge could read
         * the footage (confidence at least {@link SyncJudge#CANNOT_TELL}).
         */
        public int offsetFromNatural(SyncJudge judge) {
            return offsetFrames - (realJudged.offsetFrames() - judge.naturalOffset());
        }
    }

    private OwnAudioCheck() {
    }

    public static Result run(Path template, TemplateAnalyzer templates, TemplateAnalyzer outputs,
            LipSyncRenderer renderer, Path workDir, MediaLimits limits) {
        TemplateProfile real = templates.analyze(template, f -> { }, () -> false).profile();
        if (!real.summary().hasSpeech()) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "template",
                    template.getFileName() + " has no speech to compare with");
        }
        try {
            Files.createDirectories(workDir);
            Path silent = workDir.resolve("own-audio-silent.mp4");
            stripSound(template, silent);
            TemplateProfile mute = templates.analyze(silent, f -> { }, () -> false).profile();
            Path output = workDir.resolve("own-audio-render.mp4");
            Speech sound = Speech.load(template, limits);
            renderer.render(mute, silent, sound, output, (s, f) -> { }, () -> false);
            TemplateProfile rendered = outputs.analyze(output, f -> { }, () -> false).profile();
            Result r = compare(rendered, real);
            SyncJudge judge = SyncJudge.shipped();
            return new Result(r.offsetFrames(), r.correlation(), r.frames(), judge.read(real, sound.features()),
                    judge.read(rendered, sound.features()));
        } catch (IOException e) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, workDir, e.getMessage());
        }
    }

    /** The shift (frames) of {@code rendered}'s opening that best matches {@code real}'s, frame for frame. */
    static Result compare(TemplateProfile rendered, TemplateProfile real) {
        int n = Math.min(rendered.frames(), real.frames());
        float[] a = new float[n];
        float[] b = new float[n];
        boolean[] use = new boolean[n];
        int d = MouthDescriptor.SIZE;
        for (int t = 0; t < n; t++) {
            use[t] = rendered.mouthVisible(t) && real.mouthVisible(t);
            a[t] = rendered.mouth()[t * d + MouthDescriptor.INNER_OPEN];
            b[t] = real.mouth()[t * d + MouthDescriptor.INNER_OPEN];
        }
        // Each opening less its own 0.4 s average: what changes over a second or more (a head leaning
        // in, a smile held, phrases) would otherwise weigh more than the syllables (4–6 a second)
        // whose timing is read; the average of a syllable cycle is nearly flat, so they stay.
        int window = (int) Math.max(3, Math.round(0.4 * real.summary().fps()));
        a = articulation(a, use, window);
        b = articulation(b, use, window);
        int best = 0;
        double bestCorrelation = -2;
        for (int k = -MAX_OFFSET; k <= MAX_OFFSET; k++) {
            // Rendered frame t against real frame t + k: a match at k > 0 means the render is early.
            double c = Pearson.lagged(a, b, use, k);
            if (!Double.isNaN(c) && c > bestCorrelation) {
                bestCorrelation = c;
                best = k;
            }
        }
        int compared = 0;
        for (boolean u : use) {
            compared += u ? 1 : 0;
        }
        return new Result(best, bestCorrelation, compared, null, null);
    }

    /** {@code v} less its centred moving average over {@code window} frames (frames not in use left out of it). */
    static float[] articulation(float[] v, boolean[] use, int window) {
        int n = v.length;
        double[] sum = new double[n + 1];
        int[] count = new int[n + 1];
        for (int t = 0; t < n; t++) {
            sum[t + 1] = sum[t] + (use[t] ? v[t] : 0);
            count[t + 1] = count[t] + (use[t] ? 1 : 0);
        }
        float[] out = new float[n];
        int half = window / 2;
        for (int t = 0; t < n; t++) {
            int lo = Math.max(0, t - half);
            int hi = Math.min(n, t + half + 1);
            int c = count[hi] - count[lo];
            out[t] = c == 0 ? 0 : (float) (v[t] - (sum[hi] - sum[lo]) / c);
        }
        return out;
    }

    private static void stripSound(Path template, Path out) throws IOException {
        List<String> args = List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", template.toString(),
                "-map", "0:v:0", "-c", "copy", "-an", out.toString());
        Process p = Ffmpeg.process(Ffmpeg.executable(), args).redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("ffmpeg could not copy the picture of " + template.getFileName() + ": "
                        + new String(log, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
