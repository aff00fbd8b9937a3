package com.heygem.app.cli;

import com.heygem.engine.media.Ffmpeg;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code heygem ffmpeg ARGS...}: the ffmpeg executable bundled with HeyGem, for conversions and checks. */
@Command(name = "ffmpeg", description = "Run the bundled ffmpeg executable with the given arguments (no system ffmpeg needed).")
final class FfmpegCommand implements Callable<Integer> {
    /** Everything after the subcommand, options included, goes to ffmpeg untouched. */
    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Ffmpeg.process(Ffmpeg.executable(), args).inheritIO().start().waitFor();
    }
}
