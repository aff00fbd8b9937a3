package com.heygem.app.cli;

import com.heygem.engine.media.EncoderSettings;
import com.heygem.engine.media.LiveWriter;
import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.render.LiveRenderer;
import com.heygem.engine.render.LiveSession;
import com.heygem.engine.source.LiveSound;
import com.heygem.engine.source.SourceAddress;
import com.heygem.engine.source.SourceInput;
import com.heygem.engine.template.TemplateAnalyzer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heygem live --audio SOURCE --video TEMPLATE --out rtmp://…|DIR}: lip-sync as the sound arrives. */
@Command(name = "live", mixinStandardHelpOptions = true,
        description = "Make a template speak a live sound as it arrives: out to an RTMP address or an HLS folder"
                + " (live.m3u8), a fixed delay after the sound; optionally recorded to an MP4 as well.")
final class LiveCommand implements Callable<Integer> {
    @Option(names = "--audio", required = true, paramLabel = "SOURCE", description = "The live sound: an rtmp(s)://,"
            + " http(s):// or HLS (.m3u8) address, or a file (played at its own pace, as if live).")
    String audio;

    @Option(names = "--video", required = true, paramLabel = "TEMPLATE", description = "The presenter video (a file or an address).")
    String video;

    @Option(names = "--out", required = true, paramLabel = "rtmp://…|DIR",
            description = "An RTMP address to publish to, or a folder for HLS (live.m3u8 and one-second segments).")
    String out;

    @Option(names = "--record", paramLabel = "FILE.mp4", description = "Also record the result to this MP4.")
    Path record;

    @Option(names = "--latency", defaultValue = "1.0", paramLabel = "SECONDS",
            description = "Seconds from the sound coming in to its frame going out (at least 0.9; more for HLS sources,"
                    + " whose sound comes a segment at a time). Default: ${DEFAULT-VALUE}.")
    double latency;

    @Option(names = "--seconds", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this much output (0: when the source ends, or Ctrl-C).")
    double seconds;

    @Option(names = "--preset", defaultValue = EncoderSettings.DEFAULT_PRESET, description = "x264 preset. Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--crf", defaultValue = "23", description = "x264 quality. Default: ${DEFAULT-VALUE}.")
    int crf;

    @CommandLine.Mixin
    TemplateOptions templateOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LiveSession.checkLatency(latency, "--latency");
        if (SourceAddress.looksLikeOne(audio)) {
            SourceAddress.parse(audio); // a clear error now rather than a silent source later
        }
        EncoderSettings encoder = EncoderSettings.DEFAULT.withPreset(preset).withCrf(crf);
        Path template = SourceInputs.local(video, templateOptions.tempDir(), err);
        TemplateAnalyzer analyzer = templateOptions.analyzer(true);
        TerminalProgress bar = new TerminalProgress(err, template.getFileName().toString());
        TemplateAnalyzer.Result analysed = analyzer.analyze(template, f -> bar.update("analyse", f), () -> false);
        bar.done();
        LipSyncRenderer.Settings settings = new LipSyncRenderer.Settings(encoder, MediaLimits.DEFAULT,
                templateOptions.tempDir(), LipSyncRenderer.Settings.DEFAULT_LEAD_SECONDS, LoopMode.PING_PONG);
        StopSignal stop = StopSignal.install();
        long t0 = System.nanoTime();
        try (LiveRenderer renderer = new LiveRenderer(analysed.profile(), template,
                new LipSyncRenderer(settings).templateSpeech(analysed.profile(), template), settings);
                LiveSound sound = SourceAddress.looksLikeOne(audio)
                        ? new LiveSound(SourceInput.of(SourceAddress.parse(audio), null, null), 30)
                        : new LiveSound(audio, true, 30);
                LiveWriter writer = new LiveWriter(out, record, renderer.width(), renderer.height(), renderer.fps(), encoder)) {
            o.printf(Locale.ROOT, "live: %s speaks %s, out to %s%s, %.1f s behind the sound (ready in %.1f s)%n",
                    template.getFileName(), shown(audio), out, record == null ? "" : " and " + record, latency,
                    (System.nanoTime() - t0) / 1e9);
            o.flush();
            LiveSession.Stats end = new LiveSession(renderer, sound, writer, latency).run(seconds, stop::asked, 5,
                    s -> {
                        o.println(line(s, renderer.fps()));
                        o.flush();
                    });
            o.println(line(end, renderer.fps()));
            o.flush();
        }
        return ExitCodes.OK;
    }

    private static String shown(String source) {
        return SourceAddress.looksLikeOne(source) ? SourceAddress.parse(source).shown() : source;
    }

    /** One line of figures, the same every few seconds and at the end (tests and scripts read it). */
    static String line(LiveSession.Stats s, double fps) {
        return String.format(Locale.ROOT, "live: %d frames (%.1f s at %.2f fps), latency median %.2f s max %.2f s,"
                + " late frames %d, skipped frames %d, bridged %.1f s, dropped %.1f s, reconnects %d, input %s", s.frames(),
                s.frames() / fps, fps, s.latencyMedian(), s.latencyMax(), s.lateFrames(), s.skippedFrames(),
                s.bridgedSeconds(), s.droppedSeconds(),
                s.reconnects(), s.input());
    }
}
