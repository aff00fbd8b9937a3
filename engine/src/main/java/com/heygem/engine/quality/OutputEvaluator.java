package com.heygem.engine.quality;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.media.AudioReader;
import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.Timeline;
import com.heygem.engine.media.VideoReader;
import com.heygem.engine.render.FeatherMask;
import com.heygem.engine.render.LowerFace;
import com.heygem.engine.speech.SpeechAnalyzer;
import com.heygem.engine.speech.SpeechFeatures;
import com.heygem.engine.sync.MouthSpace;
import com.heygem.engine.sync.Pearson;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.template.TemplateProfile;
import com.heygem.engine.template.TurnPoints;
import java.nio.file.Path;

/**
 * Objective checks of a rendered video against its template (DESIGN §6), from what a viewer
 * sees and hears: landmarks found again in the output, the output's own sound, and the pixels
 * of output and template side by side over the stretch where the output shows the template in
 * order (its first pass; ping-pong stretches are not compared pixel by pixel).
 */
public final class OutputEvaluator {
    /** Lags tried for the audio-visual offset, each way, in frames. */
    static final int MAX_OFFSET = 5;
    /** Pauses at least this long must show a closed mouth. */
    static final double MIN_SILENCE_SECONDS = 0.3;
    /** The mouth closes over the pause's first moments: judged after this much of it. */
    static final double SILENCE_MARGIN_SECONDS = 0.1;

    /**
     * @param offsetFrames     how many frames the mouth leads the sound (negative: lags)
     * @param syncConfidence   correlation of mouth opening and speech level at that offset
     * @param silenceOpening   mean inner-lip gap in pauses of 300 ms or more (canonical units); NaN without pauses
     * @param closedLevel      the template's closed-mouth level (20th percentile of its gap)
     * @param speechOpening    mean gap while speaking
     * @param sharpnessRatio   mouth-region sharpness (variance of the Laplacian), output over template
     *                         frames with the same mouth opening (an open mouth with teeth has more
     *                         detail than closed lips without being any sharper)
     * @param seamRatio        gradient in the feather band, output over template (1 = no visible seam)
     * @param flickerRatio     frame-to-frame change in the feather band, output over template
     * @param psnrOutside      PSNR (dB) of the luma outside the mask and the chin's reach, output against template
     * @param framesCompared   frames compared pixel by pixel
     * @param ghost            {@link JawBand} share changed beside the background frame's jaw: median, 95th
     *                         percentile and worst frame (0..1)
     * @param worstGhostFrame  output frame with the most ghost, or -1
     * @param outlineJumpRatio 95th percentile of the jaw outline's frame-to-frame movement, output over template
     * @param mouthSpeedRatio  95th percentile of the mouth opening's frame-to-frame change, output over template
     * @param mouthDrift       largest distance of the output's mouth centre from its background frame's own, in
     *                         inter-ocular distances
     * @param mouthDriftFrame  output frame where it is largest
     * @param frames           frames in the output
     * @param judged           the sync judge's reading of the output's mouth against its sound (an independent model)
     */
    public record Report(double offsetFrames, double syncConfidence, double silenceOpening, int silenceFrames,
            double closedLevel, double speechOpening, double sharpnessRatio, double seamRatio, double flickerRatio,
            double psnrOutside, int framesCompared, double faceFraction, double ghostMedian, double ghost95,
            double ghostWorst, int worstGhostFrame, double outlineJumpRatio, double mouthSpeedRatio, double mouthDrift,
            int mouthDriftFrame, int frames, com.heygem.engine.sync.SyncJudge.Reading judged) {
    }

    private OutputEvaluator() {
    }

    /**
     * @param templates analyser for the template (cached)
     * @param outputs   analyser for the output (not cached: outputs are one-offs)
     */
    public static Report evaluate(Path output, Path template, TemplateAnalyzer templates, TemplateAnalyzer outputs,
            MediaLimits limits) {
        TemplateProfile tp = templates.analyze(template, f -> { }, () -> false).profile();
        TemplateProfile op = outputs.analyze(output, f -> { }, () -> false).profile();
        SpeechFeatures speech = SpeechAnalyzer.analyze(AudioReader.readForAnalysis(output, limits));
        double fps = op.summary().fps();
        int frames = op.frames();
        int d = MouthDescriptor.SIZE;
        float[] open = new float[frames];
        float[] level = new float[frames];
        boolean[] present = op.facePresent();
        for (int t = 0; t < frames; t++) {
            open[t] = op.mouth()[t * d + MouthDescriptor.INNER_OPEN];
            level[t] = speech.levelAround(t / fps);
        }
        int bestLag = 0;
        double best = -2;
        for (int k = -MAX_OFFSET; k <= MAX_OFFSET; k++) {
            // positive best lag: the mouth leads the sound
            double c = Pearson.lagged(open, level, present, k);
            if (c > best) {
                best = c;
                bestLag = k;
            }
        }
        // Pauses.
        boolean[] pause = pauses(speech, frames, fps);
        double silenceSum = 0;
        int silenceCount = 0;
        double speechSum = 0;
        int speechCount = 0;
        for (int t = 0; t < frames; t++) {
            if (!present[t]) {
                continue;
            }
            if (pause[t]) {
                silenceSum += open[t];
                silenceCount++;
            } else if (speech.speech(speech.frameAt(t / fps))) {
                speechSum += open[t];
                speechCount++;
            }
        }
        MouthSpace space = new MouthSpace(tp);
        // The template frame behind each output frame, as the render laid them out.
        Timeline timeline = TurnPoints.timeline(tp, Math.max(1, op.frames()) / op.summary().fps(),
                LoopMode.PING_PONG);
        Pixels pixels = comparePixels(output, template, tp, op, timeline, limits);
        double[] ghosts = pixels.ghost;
        int worst = -1;
        double[] measured = new double[ghosts.length];
        int count = 0;
        for (int f = 0; f < ghosts.length; f++) {
            if (!Double.isNaN(ghosts[f])) {
                measured[count++] = ghosts[f];
                if (worst < 0 || ghosts[f] > ghosts[worst]) {
                    worst = f;
                }
            }
        }
        double[] drift = mouthDrift(tp, op, timeline);
        return new Report(bestLag, best, silenceCount == 0 ? Double.NaN : silenceSum / silenceCount, silenceCount,
                space.closedLevel(), speechCount == 0 ? Double.NaN : speechSum / speechCount, pixels.sharpness,
                pixels.seam, pixels.flicker, pixels.psnr, pixels.frames, op.summary().faceFraction(),
                FaceMotion.percentile(measured, count, 0.5), FaceMotion.percentile(measured, count, 0.95),
                worst < 0 ? Double.NaN : ghosts[worst], worst,
                ratio(FaceMotion.outlineJump(op), FaceMotion.outlineJump(tp)),
                ratio(FaceMotion.mouthSpeed(op), FaceMotion.mouthSpeed(tp)), drift[0], (int) drift[1], op.frames(),
                com.heygem.engine.sync.SyncJudge.shipped().read(op, speech));
    }

    /**
     * Where the output's mouth is against where its background frame had it: the largest
     * distance between the centres of points 48-67 (found again in the output, and in the
     * template frame the output shows at that moment), in the template's inter-ocular distances,
     * and the frame where it occurs. A mouth pasted onto the nose or chin shows here.
     */
    static double[] mouthDrift(TemplateProfile tp, TemplateProfile op, Timeline timeline) {
        float[] a = new float[Landmarks.VALUES];
        float[] b = new float[Landmarks.VALUES];
        double worst = 0;
        int at = -1;
        for (int t = 0; t < op.frames() && t < timeline.length(); t++) {
            int f = timeline.sourceFrame(t);
            if (!op.facePresent()[t] || !tp.facePresent()[f]) {
                continue;
            }
            op.landmarks(t, a);
            tp.landmarks(f, b);
            double dx = 0;
            double dy = 0;
            for (int i = Landmarks.MOUTH_FIRST; i < Landmarks.POINTS; i++) {
                dx += a[2 * i] - b[2 * i];
                dy += a[2 * i + 1] - b[2 * i + 1];
            }
            int points = Landmarks.POINTS - Landmarks.MOUTH_FIRST;
            double d = Math.hypot(dx / points, dy / points) / Landmarks.interocular(b);
            if (d > worst) {
                worst = d;
                at = t;
            }
        }
        return new double[] {worst, at};
    }

    /** Output frames inside pauses of {@link #MIN_SILENCE_SECONDS} or more, past their first moments. */
    static boolean[] pauses(SpeechFeatures speech, int frames, double fps) {
        boolean[] pause = new boolean[frames];
        int n = speech.frames();
        int minRun = (int) Math.round(MIN_SILENCE_SECONDS / SpeechFeatures.HOP_SECONDS);
        int margin = (int) Math.round(SILENCE_MARGIN_SECONDS / SpeechFeatures.HOP_SECONDS);
        for (int h = 0; h < n; ) {
            int end = h + 1;
            while (end < n && speech.silent(end) == speech.silent(h)) {
                end++;
            }
            if (speech.silent(h) && end - h >= minRun) {
                double from = (h + margin) * SpeechFeatures.HOP_SECONDS;
                double to = (end - margin) * SpeechFeatures.HOP_SECONDS;
                for (int t = (int) Math.ceil(from * fps); t < frames && t / fps < to; t++) {
                    pause[t] = true;
                }
            }
            h = end;
        }
        return pause;
    }

    private record Pixels(double sharpness, double seam, double flicker, double psnr, int frames, double[] ghost) {
    }

    private static Pixels comparePixels(Path output, Path template, TemplateProfile tp, TemplateProfile op,
            Timeline timeline, MediaLimits limits) {
        // The first pass, where the output shows the template in order, up to its first turn.
        int frames = Math.min(tp.frames(), op.frames());
        for (int f = 0; f < frames; f++) {
            if (timeline.sourceFrame(f) != f) {
                frames = f;
                break;
            }
        }
        FeatherMask feather = new FeatherMask();
        float[] bg = new float[Landmarks.VALUES];
        float[] out = new float[Landmarks.VALUES];
        YuvImage o = new YuvImage();
        YuvImage t = new YuvImage();
        YuvImage prevO = new YuvImage();
        YuvImage prevT = new YuvImage();
        double[] sharpOut = new double[op.frames()];
        double[] sharpTemplate = new double[tp.frames()];
        double[] ghost = new double[op.frames()];
        java.util.Arrays.fill(ghost, Double.NaN);
        double seamOut = 0, seamTemplate = 0, flickerOut = 0, flickerTemplate = 0;
        double squared = 0;
        long outsidePixels = 0;
        int compared = 0;
        boolean havePrev = false;
        try (VideoReader ro = VideoReader.open(output, limits, 0); VideoReader rt = VideoReader.open(template, limits, 0)) {
            for (int f = 0; f < frames && ro.read(o) && rt.read(t); f++) {
                int w = Math.min(o.width, t.width);
                int h = Math.min(o.height, t.height);
                if (!tp.facePresent()[f] || !feather.build(landmarks(tp, f, bg), null, w, h)) {
                    havePrev = false;
                    continue;
                }
                compared++;
                ghost[f] = JawBand.ghost(o, t, bg);
                float[] m = feather.mask();
                float reach = LowerFace.chinReach(bg);
                int fx = feather.x();
                int fy = feather.y();
                int fw = feather.width();
                int fh = feather.height();
                // Outside the mask: everything the compositor must not have touched.
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean inside = x >= fx && x < fx + fw && y >= fy && y < fy + fh && m[(y - fy) * fw + x - fx] > 0
                                || nearChin(bg, x, y, reach);
                        if (!inside) {
                            double diff = (o.data[y * o.width + x] & 0xFF) - (t.data[y * t.width + x] & 0xFF);
                            squared += diff * diff;
                            outsidePixels++;
                        }
                    }
                }
                // The feather band: where a seam would show.
                for (int y = Math.max(1, fy); y < Math.min(h - 1, fy + fh); y++) {
                    for (int x = Math.max(1, fx); x < Math.min(w - 1, fx + fw); x++) {
                        float mv = m[(y - fy) * fw + x - fx];
                        if (mv <= 0.05f || mv >= 0.95f) {
                            continue;
                        }
                        seamOut += gradient(o, x, y);
                        seamTemplate += gradient(t, x, y);
                        if (havePrev) {
                            flickerOut += Math.abs((o.data[y * o.width + x] & 0xFF) - (prevO.data[y * o.width + x] & 0xFF));
                            flickerTemplate += Math.abs((t.data[y * t.width + x] & 0xFF) - (prevT.data[y * t.width + x] & 0xFF));
                        }
                    }
                }
                // Mouth sharpness, each at its own mouth.
                sharpTemplate[f] = laplacianVariance(t, bg);
                if (op.facePresent()[f]) {
                    sharpOut[f] = laplacianVariance(o, landmarks(op, f, out));
                }
                prevO.copyFrom(o);
                prevT.copyFrom(t);
                havePrev = true;
            }
            // The longer one's remaining frames: sharpness only.
            for (int f = frames; f < op.frames() && ro.read(o); f++) {
                if (op.facePresent()[f]) {
                    sharpOut[f] = laplacianVariance(o, landmarks(op, f, out));
                }
            }
            for (int f = frames; f < tp.frames() && rt.read(t); f++) {
                if (tp.facePresent()[f]) {
                    sharpTemplate[f] = laplacianVariance(t, landmarks(tp, f, bg));
                }
            }
        }
        double mse = outsidePixels == 0 ? 0 : squared / outsidePixels;
        double psnr = mse <= 1e-12 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
        return new Pixels(likeForLikeSharpness(sharpOut, op, sharpTemplate, tp), ratio(seamOut, seamTemplate),
                ratio(flickerOut, flickerTemplate), psnr, compared, ghost);
    }

    /** Whether (x, y) is within {@code reach} of a chin point (jaw 6-10): where the chin may have been moved. */
    private static boolean nearChin(float[] p, int x, int y, float reach) {
        float r2 = reach * reach;
        for (int i = 6; i <= 10; i++) {
            float dx = x - Landmarks.x(p, i);
            float dy = y - Landmarks.y(p, i);
            if (dx * dx + dy * dy < r2) {
                return true;
            }
        }
        return false;
    }

    /** Template frames each output frame's sharpness is compared with: those nearest in mouth opening. */
    static final int LIKE_MOUTHS = 7;

    /**
     * Output sharpness over the sharpness of template mouths opened as wide: for every output
     * frame with a face, the mean of the {@link #LIKE_MOUTHS} template frames nearest in inner
     * opening. Blur lowers it; showing closed lips where the template talked does not.
     */
    static double likeForLikeSharpness(double[] sharpOut, TemplateProfile op, double[] sharpTemplate,
            TemplateProfile tp) {
        int d = MouthDescriptor.SIZE;
        int n = 0;
        for (int f = 0; f < tp.frames(); f++) {
            if (tp.facePresent()[f] && sharpTemplate[f] > 0) {
                n++;
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        float[] opening = new float[n];
        double[] sharp = new double[n];
        Integer[] order = new Integer[n];
        int k = 0;
        for (int f = 0; f < tp.frames(); f++) {
            if (tp.facePresent()[f] && sharpTemplate[f] > 0) {
                opening[k] = tp.mouth()[f * d + MouthDescriptor.INNER_OPEN];
                sharp[k] = sharpTemplate[f];
                order[k] = k;
                k++;
            }
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(opening[a], opening[b]));
        float[] sortedOpening = new float[n];
        double[] sortedSharp = new double[n];
        for (int i = 0; i < n; i++) {
            sortedOpening[i] = opening[order[i]];
            sortedSharp[i] = sharp[order[i]];
        }
        int like = Math.min(LIKE_MOUTHS, n);
        double sumOut = 0;
        double sumReference = 0;
        for (int f = 0; f < op.frames(); f++) {
            if (!op.facePresent()[f] || sharpOut[f] <= 0) {
                continue;
            }
            float o = op.mouth()[f * d + MouthDescriptor.INNER_OPEN];
            int at = java.util.Arrays.binarySearch(sortedOpening, o);
            int lo = at >= 0 ? at : -at - 1;
            int hi = lo; // window [lo, hi) grows towards the nearer side
            while (hi - lo < like) {
                if (lo == 0) {
                    hi++;
                } else if (hi == n || o - sortedOpening[lo - 1] <= sortedOpening[hi] - o) {
                    lo--;
                } else {
                    hi++;
                }
            }
            double reference = 0;
            for (int i = lo; i < hi; i++) {
                reference += sortedSharp[i];
            }
            sumOut += sharpOut[f];
            sumReference += reference / like;
        }
        return ratio(sumOut, sumReference);
    }

    private static float[] landmarks(TemplateProfile p, int f, float[] into) {
        p.landmarks(f, into);
        return into;
    }

    private static double ratio(double a, double b) {
        return b <= 0 ? Double.NaN : a / b;
    }

    private static double gradient(YuvImage img, int x, int y) {
        int w = img.width;
        int gx = (img.data[y * w + x + 1] & 0xFF) - (img.data[y * w + x - 1] & 0xFF);
        int gy = (img.data[(y + 1) * w + x] & 0xFF) - (img.data[(y - 1) * w + x] & 0xFF);
        return Math.sqrt(gx * gx + gy * gy) / 2;
    }

    /** Variance of the 4-neighbour Laplacian over the lips' box (points 48-67, grown by a quarter). */
    static double laplacianVariance(YuvImage img, float[] p) {
        int[] box = new int[4];
        Landmarks.mouthBox(p, 0.25f, img.width, img.height, box);
        int x0 = Math.max(1, box[0]);
        int x1 = Math.min(img.width - 2, box[2]);
        int y0 = Math.max(1, box[1]);
        int y1 = Math.min(img.height - 2, box[3]);
        double s = 0, ss = 0;
        int n = 0;
        int w = img.width;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int c = y * w + x;
                int l = (img.data[c - 1] & 0xFF) + (img.data[c + 1] & 0xFF) + (img.data[c - w] & 0xFF)
                        + (img.data[c + w] & 0xFF) - 4 * (img.data[c] & 0xFF);
                s += l;
                ss += (double) l * l;
                n++;
            }
        }
        return n == 0 ? 0 : ss / n - (s / n) * (s / n);
    }
}
