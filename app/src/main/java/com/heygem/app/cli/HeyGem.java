package com.heygem.app.cli;

import com.heygem.engine.error.HeyGemException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code heygem} command. */
@Command(name = "heygem",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Self-hosted digital-human video generator: re-renders template videos so the presenter speaks a new audio.",
        subcommands = {
            ServeCommand.class,
            WorkerCommand.class,
            ProbeCommand.class,
            AnalyzeCommand.class,
            RenderCommand.class,
            LiveCommand.class,
            EvaluateCommand.class,
            BenchCommand.class,
            FfmpegCommand.class,
            TokenCommand.class,
            CommandLine.HelpCommand.class
        })
public final class HeyGem implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Contact sheets are drawn with Java2D; servers have no display.
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests drive it in-process. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new HeyGem());
        cmd.setExecutionExceptionHandler(HeyGem::handle);
        return cmd;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** User errors print their code, message and hint, never a stack trace. */
    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof HeyGemException he) {
            err.println("error [" + he.code() + "]: " + he.messageEn());
            err.println("       " + he.code().hintEn());
            err.println("错误 [" + he.code() + "]：" + he.messageZh() + "。" + he.code().hintZh());
            err.flush();
            return ExitCodes.USER_ERROR;
        }
        err.println("internal error: " + e);
        e.printStackTrace(err);
        err.flush();
        return ExitCodes.INTERNAL_ERROR;
    }
}
