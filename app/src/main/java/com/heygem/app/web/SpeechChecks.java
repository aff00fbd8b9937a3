package com.heygem.app.web;

import com.heygem.app.accounts.FairQueue;
import com.heygem.app.store.BatchStore;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.Speech;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How much speech an uploaded audio holds, measured once per upload, so the page and the API can
 * warn before a batch renders a closed mouth for a silent or speechless recording.
 *
 * <p>Measured off the request thread, one at a time, the accounts taking turns (at most
 * {@link #HELD_EACH} of one account waiting): decoding two hours takes some seconds of CPU, so
 * a request waits {@link #WAIT} at most, then answers {@code "state": "RUNNING"} and the page asks
 * again. The analysis streams (about 70 MB for two hours), so no upload can exhaust the heap.
 */
final class SpeechChecks implements AutoCloseable {
    /** Below this share of speech frames the recording is called silent. */
    static final double SILENT = 0.03;
    /** Below this, little speech: most of the video will have a closed mouth. */
    static final double LITTLE = 0.2;
    static final int HELD_EACH = 4;
    /** How long a request waits for a measurement: a few minutes of sound are measured in that time. */
    static final Duration WAIT = Duration.ofSeconds(3);
    private static final Map<String, Object> RUNNING = Map.of("state", "RUNNING");
    private static final Map<String, Object> QUEUED = Map.of("state", "QUEUED");

    private final Path dataDir;
    private final FairQueue queue = new FairQueue("speech checks", 1, 1, HELD_EACH);
    private final Map<String, CompletableFuture<Map<String, Object>>> results = new ConcurrentHashMap<>();

    SpeechChecks(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * {@code {"state": "DONE", "speechFraction", "warning": {"code","message","messageZh"} | null}},
     * or {@code {"state": "QUEUED" | "RUNNING"}} while it is measured; null when unreadable.
     */
    Map<String, Object> of(BatchStore.Asset audio, String account) {
        CompletableFuture<Map<String, Object>> known = results.get(audio.id());
        if (known == null) {
            CompletableFuture<Map<String, Object>> mine = new CompletableFuture<>();
            known = results.putIfAbsent(audio.id(), mine);
            if (known == null) {
                try {
                    queue.submit(account, () -> {
                        try {
                            mine.complete(measure(audio));
                        } catch (RuntimeException e) {
                            mine.completeExceptionally(e); // answered as unreadable, not as running forever
                            throw e;
                        }
                    });
                } catch (FairQueue.Full e) {
                    results.remove(audio.id(), mine); // asked again later, when a place is free
                    return QUEUED;
                }
                known = mine;
            }
        }
        try {
            return known.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return RUNNING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RUNNING;
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** What {@link #of} found, when it was asked before and is done; null otherwise (nothing is decoded). */
    Map<String, Object> known(BatchStore.Asset audio) {
        CompletableFuture<Map<String, Object>> f = results.get(audio.id());
        return f == null ? null : f.getNow(null);
    }

    private Map<String, Object> measure(BatchStore.Asset audio) {
        double fraction;
        try {
            fraction = Speech.load(dataDir.resolve(audio.storedPath()), MediaLimits.DEFAULT).features().speechFraction();
        } catch (HeyGemException e) {
            return null; // the render will say what is wrong with it
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", "DONE");
        m.put("speechFraction", Math.round(1000 * fraction) / 1000.0);
        m.put("warning", warning(audio.fileName(), fraction));
        return m;
    }

    @Override
    public void close() {
        queue.close();
    }

    static Map<String, Object> warning(String name, double fraction) {
        if (fraction >= LITTLE) {
            return null;
        }
        boolean silent = fraction < SILENT;
        return Map.of("code", silent ? "AUDIO_SILENT" : "AUDIO_LITTLE_SPEECH",
                "message", silent ? name + " has no speech that can be heard: the presenter's mouth will stay closed"
                        : name + " has speech in only " + Math.round(100 * fraction) + " % of its length: the mouth"
                                + " will be closed most of the time",
                "messageZh", silent ? name + " 中听不到语音：人物的嘴会一直闭着"
                        : name + " 只有 " + Math.round(100 * fraction) + "% 的时间有语音：人物的嘴大部分时间会闭着");
    }
}
