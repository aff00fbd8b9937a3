package com.heygem.app.web;

import com.heygem.app.jobs.StageHold;
import com.heygem.app.store.BatchStore;
import com.heygem.app.store.FileNames;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.sync.SyncForecast;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.template.TemplateProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The face check of an uploaded template, run in the background as soon as it arrives (one at a
 * time, at low priority), so the page can show "face found in 98 % of frames, usability 91"
 * before the user starts a batch. The profile lands in the same cache the render reads, so the
 * check is work the batch no longer has to do.
 */
final class TemplateChecks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateChecks.class);

    enum State { QUEUED, RUNNING, DONE, FAILED }

    /** Where a check stands; {@code result} once DONE, {@code error} once FAILED. */
    record Check(State state, double percent, Map<String, Object> result, Map<String, String> error) {
    }

    private final Path dataDir;
    private final TemplateAnalyzer analyzer;
    private final Map<String, Check> checks = new ConcurrentHashMap<>();
    /**
     * Set when the server stops: a check under way stops at its next frame and keeps nothing
     * (its files are written whole or not at all). Not an interrupt, which would close the
     * files it writes under it.
     */
    private volatile boolean closing;
    /** How long a stop waits for the check under way to notice it (it looks once a frame). */
    private static final int STOP_WAIT_SECONDS = 10;

    private final ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1, r -> {
        Thread t = new Thread(r, "template-check");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });

    TemplateChecks(Path dataDir, TemplateAnalyzer analyzer) {
        this.dataDir = dataDir;
        this.analyzer = analyzer;
    }

    /**
     * Where the face is at {@code seconds} into a checked video (its profile is cached once the
     * check is done); null while it is not done, or without a face.
     */
    Thumbnails.Face face(BatchStore.Asset asset, double seconds) {
        Check c = checks.get(asset.id());
        if (c == null || c.state() != State.DONE) {
            return null;
        }
        try {
            TemplateProfile p = analyzer.analyze(dataDir.resolve(asset.storedPath()), f -> { }, () -> closing).profile();
            return Thumbnails.Face.of(p, (int) Math.round(seconds * p.summary().fps()), asset.width(), asset.height());
        } catch (RuntimeException e) {
            return null; // a picture of the whole frame will do
        }
    }

    /** The check of a video asset, started when it was never asked for. */
    Check of(BatchStore.Asset asset) {
        return checks.computeIfAbsent(asset.id(), id -> {
            pool.submit(() -> run(asset));
            return new Check(State.QUEUED, 0, null, null);
        });
    }

    private void run(BatchStore.Asset asset) {
        String id = asset.id();
        try {
            checks.put(id, new Check(State.RUNNING, 0, null, null));
            TemplateAnalyzer.Result r = analyzer.analyze(dataDir.resolve(asset.storedPath()), f -> {
                checks.put(id, new Check(State.RUNNING, Math.round(1000 * f) / 10.0, null, null));
                StageHold.check(id, "analysing template", () -> closing);
            }, () -> closing);
            checks.put(id, new Check(State.DONE, 100, summary(r.profile()), null));
        } catch (CancellationException stopped) {
            // The server is stopping; the next one checks it again when the library is shown.
            checks.remove(id);
            LOG.info("the face check of {} stopped with the server", asset.fileName());
        } catch (HeyGemException failure) {
            // The analysis read the kept copy (named by its content); the user knows the file by their name.
            HeyGemException e = FileNames.asTheirs(failure, dataDir.resolve(asset.storedPath()), asset.fileName());
            checks.put(id, new Check(State.FAILED, 100, null, Map.of("code", e.code().name(), "message", e.messageEn(),
                    "messageZh", e.messageZh())));
        } catch (RuntimeException e) {
            LOG.error("checking template {} failed", asset.fileName(), e);
            checks.put(id, new Check(State.FAILED, 100, null, Map.of("code", "INTERNAL_ERROR", "message",
                    "The check failed unexpectedly (" + e + ")", "messageZh", "检查意外失败（" + e + "）")));
        }
    }

    /**
     * What the page shows of a profile. {@code usability} (0–100) is how well HeyGem can use the
     * template: the share of frames with a face, times a size factor (full at a face 160 px wide,
     * a fifth at 60 px), times steadiness (large head turns count half), less a fifth when
     * several faces are in view, times how faithfully its mouths can follow speech
     * ({@link SyncForecast}, which predicts how the sync judge grades its renders).
     */
    static Map<String, Object> summary(TemplateProfile profile) {
        TemplateProfile.Summary s = profile.summary();
        double size = Math.max(0.2, Math.min(1, (s.faceSidePixels() - 60) / 100.0));
        double steady = 1 - 0.5 * s.largeTurnFraction();
        double lipSync = SyncForecast.fidelity(profile);
        double usability = 100 * s.faceFraction() * size * steady * (s.maxFaces() > 1 ? 0.8 : 1) * lipSync;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("faceFraction", Math.round(1000 * s.faceFraction()) / 1000.0);
        m.put("faceSidePixels", Math.round(s.faceSidePixels()));
        m.put("maxFaces", s.maxFaces());
        m.put("speaks", s.hasSpeech());
        m.put("fps", Math.round(100 * s.fps()) / 100.0);
        m.put("frames", s.frames());
        m.put("lipSync", Math.round(100 * lipSync) / 100.0);
        m.put("usability", (int) Math.round(usability));
        List<Map<String, String>> warnings = new ArrayList<>();
        for (TemplateProfile.Warning w : s.warnings()) {
            warnings.add(Map.of("code", w.code().name(), "message", w.messageEn(), "messageZh", w.messageZh()));
        }
        m.put("warnings", warnings);
        return m;
    }

    /** Stops the check under way (within a frame or two) and drops the ones waiting. */
    @Override
    public void close() {
        closing = true;
        pool.shutdown();
        pool.getQueue().clear();
        try {
            if (!pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("a face check did not stop within {} s; it is left to end with the process", STOP_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
