package com.heygem.engine.render;

import com.heygem.engine.image.YuvImage;
import com.heygem.engine.media.LiveWriter;
import com.heygem.engine.source.LiveSound;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a live render: waits for each block's sound, renders the block, and hands its frames and
 * sound to the writer a fixed {@code latency} after that sound arrived, so the output flows at
 * the template's frame rate with a constant delay. When the source stalls, the sound it owes is
 * bridged with silence (a closed mouth, the template going on) just in time for the block that
 * needs it; the output never stops for it.
 */
public final class LiveSession {
    /** Time kept for rendering a block between its sound's deadline and its frames' deadline. */
    static final double RENDER_MARGIN_SECONDS = 0.3;
    /** The longest delay accepted. */
    public static final double MAX_LATENCY = 30;

    /**
     * @param name how the caller calls the delay (--latency, latency)
     * @throws com.heygem.engine.error.HeyGemException INVALID_ARGUMENT outside {@link #MIN_LATENCY} .. {@link #MAX_LATENCY}
     */
    public static void checkLatency(double latency, String name) {
        if (!(latency >= MIN_LATENCY) || latency > MAX_LATENCY) {
            throw new com.heygem.engine.error.HeyGemException(com.heygem.engine.error.ErrorCode.INVALID_ARGUMENT, name,
                    String.format(java.util.Locale.ROOT, "%s (%.2f to %.0f seconds)", latency, MIN_LATENCY, MAX_LATENCY));
        }
    }

    /** Behind its time by more than this, a block is left out (its frames and its sound) to catch up. */
    static final double CATCH_UP_SECONDS = 1.0;
    /** The shortest delay: a block, the mouth model's look-ahead, and the render with room to spare. */
    public static final double MIN_LATENCY = LiveRenderer.BLOCK_SECONDS + LiveRenderer.LOOKAHEAD_SECONDS + 0.35;

    /**
     * What a live render did so far.
     *
     * @param frames         frames written (at the template's rate: seconds = frames / fps)
     * @param lateFrames     frames written after their time (the render fell behind)
     * @param skippedFrames  frames left out, with their sound, to catch up (the machine is too slow or too busy)
     * @param latencyMedian  sound in to frame out, median over blocks, seconds
     * @param latencyMax     the same, the largest
     * @param bridgedSeconds silence put in for a stalled source
     * @param droppedSeconds sound that came too late after a stall and was left out
     * @param input          the source's state: connecting, live, stalled, reconnecting, ended
     */
    public record Stats(long frames, long lateFrames, long skippedFrames, double latencyMedian, double latencyMax, double bridgedSeconds,
            double droppedSeconds, int reconnects, String input) {
    }

    private final LiveRenderer renderer;
    private final LiveSound sound;
    private final LiveWriter writer;
    private final double latency;
    private final double[] latencies = new double[4096];
    private int measured;
    private double worst;
    private long frames;
    private long late;
    private long skipped;

    /** @param latency seconds from a sound's arrival to its frame's output */
    public LiveSession(LiveRenderer renderer, LiveSound sound, LiveWriter writer, double latency) {
        this.renderer = renderer;
        this.sound = sound;
        this.writer = writer;
        this.latency = latency;
    }

    /**
     * Runs until the source ends, {@code seconds} of output are made (0: no limit) or {@code stop}
     * says so; reports {@link #stats} to {@code report} about every {@code reportSeconds}.
     */
    public Stats run(double seconds, BooleanSupplier stop, double reportSeconds, Consumer<Stats> report)
            throws InterruptedException {
        double fps = renderer.fps();
        int block = renderer.blockFrames();
        YuvImage[] out = new YuvImage[block];
        for (int i = 0; i < out.length; i++) {
            out[i] = new YuvImage(renderer.width(), renderer.height());
        }
        int windowSamples = (int) Math.ceil(LiveRenderer.WINDOW_SECONDS * LiveSound.ANALYSIS_RATE) + 1;
        float[] analysis = new float[windowSamples];
        float[] mono = new float[(int) Math.ceil(block / fps * LiveSound.RATE) + 2];
        float[] stereo = new float[mono.length * 2];
        long first;
        synchronized (sound) {
            while ((first = sound.firstArrival()) < 0 && !sound.ended() && !stop.getAsBoolean()) {
                sound.wait(200);
            }
        }
        if (first < 0) {
            return stats();
        }
        long nextReport = System.nanoTime() + (long) (reportSeconds * 1e9);
        long audioWritten = 0;
        for (int k = 0; !stop.getAsBoolean() && (seconds <= 0 || k / fps < seconds); k += block) {
            double need = renderer.soundNeeded(k, block);
            long due = first + (long) ((k / fps + latency - RENDER_MARGIN_SECONDS) * 1e9);
            long needed = (long) Math.ceil(need * LiveSound.RATE);
            boolean last = false;
            if (!sound.awaitOrBridge(needed, due)) { // the source ended
                if (sound.available() <= (long) Math.floor(k / fps * LiveSound.RATE)) {
                    break;
                }
                sound.padEnd(needed); // its last words still get their frames
                last = true;
            }
            long blockSample = (long) Math.floor(k / fps * LiveSound.RATE);
            long arrived = sound.arrivedAt(blockSample);
            long audioEnd = (long) Math.floor((k + block) / fps * LiveSound.RATE);
            if (System.nanoTime() - arrived > (latency + CATCH_UP_SECONDS) * 1e9 && !last) {
                // Too far behind to be a steady delay: leave this block out, picture and sound, so the
                // output stays in sync and the delay comes back to what it should be.
                skipped += block;
                audioWritten = audioEnd;
                continue;
            }
            double from = Math.max(0, need - LiveRenderer.WINDOW_SECONDS);
            long fromSample = (long) Math.floor(from * LiveSound.ANALYSIS_RATE);
            int count = (int) Math.min(windowSamples, Math.ceil(need * LiveSound.ANALYSIS_RATE) - fromSample);
            sound.copyAnalysis(fromSample, count, analysis);
            renderer.render(analysis, count, LiveSound.ANALYSIS_RATE, fromSample / (double) LiveSound.ANALYSIS_RATE, k,
                    block, out);

            // Out a fixed time after the block's first sound came in: a steady delay for viewers.
            long at = arrived + (long) (latency * 1e9);
            long wait = at - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } else if (wait < -0.1e9) {
                late += block;
            }
            for (YuvImage f : out) {
                writer.writeFrame(f);
            }
            int n = (int) (audioEnd - audioWritten);
            if (n > mono.length) {
                mono = new float[n];
                stereo = new float[n * 2];
            }
            sound.copy(audioWritten, n, mono);
            for (int i = 0; i < n; i++) {
                stereo[2 * i] = mono[i];
                stereo[2 * i + 1] = mono[i];
            }
            writer.writeAudio(stereo, n);
            audioWritten = audioEnd;
            frames += block;
            double took = (System.nanoTime() - arrived) / 1e9;
            latencies[measured++ % latencies.length] = took;
            worst = Math.max(worst, took);
            if (last) {
                break;
            }
            if (System.nanoTime() >= nextReport) {
                report.accept(stats());
                nextReport += (long) (reportSeconds * 1e9);
            }
        }
        return stats();
    }

    /** The figures so far (the median over the last 4,096 blocks). */
    public Stats stats() {
        int n = Math.min(measured, latencies.length);
        double median = 0;
        if (n > 0) {
            double[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            median = sorted[n / 2];
        }
        return new Stats(frames, late, skipped, median, worst, sound.bridgedSeconds(), sound.droppedSeconds(), sound.reconnects(),
                sound.state());
    }
}
