package com.heygem.app.jobs;

import com.heygem.app.store.BatchStore;
import com.heygem.app.store.FileNames;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.error.Text;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.render.Speech;
import com.heygem.engine.sync.SyncJudge;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.media.MediaLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The real work of an item: the template's profile (from the cache when it was analysed before),
 * the batch's speech features (computed once per batch, shared by its items), the render into
 * {@code outputs/<batch>/<template name>.mp4} under the data directory (written under a hidden
 * name and renamed when complete), its progress, and the item's time limit.
 */
public final class RenderItemRunner implements ItemRunner {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RenderItemRunner.class);
    /** Speech features of the last few audios: a batch's items share one. */
    private static final int SPEECH_CACHE = 4;

    private final Path dataDir;
    private final BatchStore store;
    private final TemplateAnalyzer analyzer;
    private final LipSyncRenderer renderer;
    private final double timeoutFactor;
    private final double minTimeoutSeconds;
    private final Map<String, Speech> speeches = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Speech> eldest) {
            return size() > SPEECH_CACHE;
        }
    };

    public RenderItemRunner(Path dataDir, BatchStore store, TemplateAnalyzer analyzer, LipSyncRenderer renderer,
            double timeoutFactor, double minTimeoutSeconds) {
        this.dataDir = dataDir;
        this.store = store;
        this.analyzer = analyzer;
        this.renderer = renderer;
        this.timeoutFactor = timeoutFactor;
        this.minTimeoutSeconds = minTimeoutSeconds;
    }

    @Override
    public String run(BatchStore.Item item, BooleanSupplier cancelled, ProgressReporter progress) throws Exception {
        BatchStore.Batch batch = store.batch(item.batchId()).orElseThrow();
        BatchStore.Asset audio = store.asset(batch.audioId()).orElseThrow();
        BatchStore.Asset template = store.asset(item.templateId()).orElseThrow();
        Path video = dataDir.resolve(template.storedPath());

        LOG.info("rendering template {} with audio {} (attempt {})", template.fileName(), audio.fileName(),
                item.attempts() + 1);
        progress.work(work(audio, template));
        progress.update("analysing audio", 0);
        Speech speech;
        try {
            speech = speech(audio);
        } catch (HeyGemException e) {
            throw FileNames.asTheirs(e, dataDir.resolve(audio.storedPath()), audio.fileName());
        }
        double limit = Math.max(minTimeoutSeconds, timeoutFactor * speech.seconds());
        long deadline = System.nanoTime() + (long) (limit * 1e9);
        boolean[] timedOut = {false};
        // Past the deadline the work is cancelled like any other; the reason is told below.
        BooleanSupplier stop = () -> {
            if (System.nanoTime() > deadline) {
                timedOut[0] = true;
            }
            return timedOut[0] || cancelled.getAsBoolean();
        };
        try {
            return render(item, batch, template, video, speech, stop, progress);
        } catch (HeyGemException e) {
            // Files are kept under their content's hash; messages name them as the user does.
            throw FileNames.asTheirs(FileNames.asTheirs(e, video, template.fileName()),
                    dataDir.resolve(audio.storedPath()), audio.fileName());
        } catch (CancellationException e) {
            if (timedOut[0]) {
                throw new HeyGemException(ErrorCode.ITEM_TIMEOUT, template.fileName(), Math.round(limit));
            }
            throw e;
        }
    }

    private String render(BatchStore.Item item, BatchStore.Batch batch, BatchStore.Asset template, Path video, Speech speech,
            BooleanSupplier stop, ProgressReporter progress) {
        // Checked first: a folder that cannot be written fails the item now, not after the analysis.
        Path dir = dataDir.resolve("outputs").resolve(item.batchId());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, dataDir.relativize(dir), reason(e));
        }
        TemplateAnalyzer.Result analysed = analyzer.analyze(video, f -> progress.update("analysing template", f), stop);
        if (stop.getAsBoolean()) {
            throw new CancellationException();
        }
        LOG.info("template analysed ({}): {} frames, face in {}%{}", analysed.fromCache() ? "cached"
                : String.format(java.util.Locale.ROOT, "%.1f s", analysed.seconds()), analysed.profile().frames(),
                Math.round(100 * analysed.profile().summary().faceFraction()),
                analysed.profile().summary().warnings().isEmpty() ? ""
                        : "; warnings: " + analysed.profile().summary().warnings().stream()
                                .map(w -> w.messageEn()).collect(java.util.stream.Collectors.joining("; ")));
        String name = String.format("%02d-%s.mp4", item.position() + 1, FileNames.stem(template.fileName()));
        Path target = dir.resolve(name);
        removeLeftovers(dir, name);
        progress.frames((int) Math.round(speech.seconds() * analysed.profile().summary().fps()));
        LipSyncRenderer batchRenderer = renderer.withEncoder(RenderSettings.encoder(batch.settingsJson(),
                renderer.settings().encoder()));
        LipSyncRenderer.Result r;
        try {
            r = batchRenderer.render(analysed.profile(), video, speech, target,
                    analyzer.mouthCrops(analysed.profile()).orElse(null), progress::update, stop);
        } catch (HeyGemException e) {
            if (e.code() != ErrorCode.WRITE_FAILED) {
                throw e;
            }
            // Users see the result's name and a plain reason, not the server's path or FFmpeg's call.
            Object[] args = e.args();
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, dataDir.relativize(target),
                    plainWriteError(args.length > 1 ? String.valueOf(args[1]) : ""));
        }
        progress.flush();
        // "fit": how well the template's own footage predicted its mouth from its sound (0 without
        // speech of its own); not the face check's usability, which the page shows.
        LOG.info("rendered {} frames in {} s (prepare {} s); mouth model {}, speech-to-mouth fit {}", r.frames(),
                String.format(java.util.Locale.ROOT, "%.1f", r.prepareSeconds() + r.renderSeconds()),
                String.format(java.util.Locale.ROOT, "%.1f", r.prepareSeconds()), r.calibration().method(),
                String.format(java.util.Locale.ROOT, "%.2f", r.calibration().usability()));
        LOG.info("{}, on the mouths placed", SyncJudge.shipped().says(r.sync()));
        store.recordSync(item.id(), r.sync().offsetFrames(), r.sync().confidence());
        return dataDir.relativize(target).toString();
    }

    /**
     * Deletes the hidden partial files an earlier attempt at this result left when its process
     * was killed (a normal failure removes its own): the retry starts clean.
     */
    private static void removeLeftovers(Path dir, String name) {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith("." + name) && n.endsWith(".partial")) {
                    Files.deleteIfExists(f);
                    LOG.info("removed {} left by an interrupted attempt", n);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not clean {}: {}", dir, e.toString());
        }
    }

    /** Why a folder could not be made, in words (the JDK's exceptions carry only a path). */
    /** FFmpeg's "av_interleaved_write_frame() error -28 while …" as a user reads it, in both languages. */
    static Text plainWriteError(String detail) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("error (-?\\d+)").matcher(detail);
        if (!m.find()) {
            return new Text(detail.replaceAll("\\w+\\(\\) ?", "").trim(), "写入失败");
        }
        int errno = Math.abs(Integer.parseInt(m.group(1)));
        switch (errno) {
            case 28:
                return new Text("the disk is full", "磁盘已满");
            case 122:
                return new Text("the disk quota is used up", "磁盘配额已用完");
            case 13:
            case 1:
                return new Text("no permission to write there", "没有写入权限");
            case 5:
                return new Text("the disk reported an input/output error", "磁盘读写出错");
            case 30:
                return new Text("the disk is read-only", "磁盘只读");
            default:
                return new Text("the disk refused the write (error " + errno + ")", "磁盘拒绝写入（错误 " + errno + "）");
        }
    }

    private Text reason(IOException e) {
        String file = e instanceof java.nio.file.FileSystemException f && f.getFile() != null
                ? dataDir.relativize(dataDir.resolve(f.getFile())).toString() : "";
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return new Text("a file named " + file + " is in the way of the folder", "文件 " + file + " 占用了文件夹的位置");
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return new Text("no permission to write in " + file, "没有在 " + file + " 中写入的权限");
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return new Text(f.getReason() + ": " + file, "无法写入 " + file + "（" + f.getReason() + "）");
        }
        return new Text(e.toString(), "写入失败（" + e.getClass().getSimpleName() + "）");
    }

    @Override
    public void discard(String result) {
        try {
            Files.deleteIfExists(dataDir.resolve(result));
        } catch (IOException e) {
            LOG.warn("could not delete the unwanted result {}: {}", result, e.toString());
        }
    }

    @Override
    public void forget(String batchId) {
        Path dir = dataDir.resolve("outputs").resolve(batchId);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
            LOG.info("removed the output folder of deleted batch {}", batchId);
        } catch (IOException e) {
            LOG.warn("could not remove the output folder of deleted batch {}: {}", batchId, e.toString());
        }
    }

    /** The work of one render as its files' records tell it before anything is decoded (25 fps until read). */
    public static RenderPace.Work work(BatchStore.Asset audio, BatchStore.Asset template) {
        double speech = audio.durationSeconds() == null ? 0 : audio.durationSeconds();
        double own = template.durationSeconds() == null ? 0 : template.durationSeconds();
        return new RenderPace.Work(speech, (int) Math.round(own * 25), (int) Math.round(speech * 25), template.width(),
                template.height());
    }

    private Speech speech(BatchStore.Asset audio) {
        synchronized (speeches) {
            Speech s = speeches.get(audio.id());
            if (s == null) {
                s = Speech.load(dataDir.resolve(audio.storedPath()), MediaLimits.DEFAULT);
                speeches.put(audio.id(), s);
            }
            return s;
        }
    }
}
