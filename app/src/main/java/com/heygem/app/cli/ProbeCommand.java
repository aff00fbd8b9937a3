package com.heygem.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.AudioStreamInfo;
import com.heygem.engine.media.MediaInfo;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.MediaProbe;
import com.heygem.engine.media.Units;
import com.heygem.engine.media.VideoStreamInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code heygem probe FILE...}: what each file holds, as HeyGem will read it. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Print container, duration, video and audio details of media files.")
final class ProbeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Audio or video files.")
    List<Path> files;

    @Option(names = "--json", description = "Print one JSON array for machines.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        int failures = 0;
        for (Path file : files) {
            try {
                MediaInfo info = MediaProbe.probe(file, MediaLimits.DEFAULT);
                if (json) {
                    array.add(toJson(mapper, info));
                } else {
                    printText(out, info);
                }
            } catch (HeyGemException e) {
                failures++;
                if (json) {
                    FileErrors.addJson(array, file, e);
                } else {
                    out.println(file);
                    out.println("  error [" + e.code() + "]: " + e.messageEn());
                    out.println("  " + e.code().hintEn());
                    out.println();
                }
            }
        }
        if (json) {
            out.println(mapper.writeValueAsString(array));
        }
        out.flush();
        if (failures > 0 && !json) {
            err.println(failures + " of " + files.size() + " files could not be read");
        }
        return failures == 0 ? ExitCodes.OK : ExitCodes.USER_ERROR;
    }

    private static void printText(PrintWriter out, MediaInfo info) {
        out.println(info.path());
        out.printf(Locale.ROOT, "  container:  %s (%s), %s%n", info.container(), info.containerLabel(),
                Units.bytes(info.sizeBytes()));
        out.printf(Locale.ROOT, "  duration:   %.3f s%n", info.durationSeconds());
        if (info.video().isPresent()) {
            VideoStreamInfo v = info.video().get();
            out.printf(Locale.ROOT, "  video:      %s %s, %d x %d%s%n", v.codec(), v.pixelFormat(), v.width(), v.height(),
                    v.rotation() != 0 ? " (stored " + v.codedWidth() + " x " + v.codedHeight() + ")" : "");
            out.printf(Locale.ROOT, "  rotation:   %d°%n", v.rotation());
            out.printf(Locale.ROOT, "  frame rate: nominal %.3f, average %.3f fps, %s; timeline %.3f fps, %d frames%n",
                    v.nominalFps(), v.averageFps(), v.variableFrameRate() ? "variable" : "constant",
                    v.timelineFps(), v.frameCount());
        } else {
            out.println("  video:      none");
        }
        if (info.audio().isPresent()) {
            AudioStreamInfo a = info.audio().get();
            out.printf(Locale.ROOT, "  audio:      %s, %d Hz, %d channel%s%n", a.codec(), a.sampleRate(), a.channels(),
                    a.channels() == 1 ? "" : "s");
        } else {
            out.println("  audio:      none");
        }
        out.println();
    }

    static ObjectNode toJson(ObjectMapper mapper, MediaInfo info) {
        ObjectNode node = mapper.createObjectNode();
        node.put("path", info.path().toString());
        node.put("sizeBytes", info.sizeBytes());
        node.put("container", info.container());
        node.put("containerLabel", info.containerLabel());
        node.put("durationSeconds", info.durationSeconds());
        if (info.video().isPresent()) {
            VideoStreamInfo v = info.video().get();
            ObjectNode video = node.putObject("video");
            video.put("codec", v.codec());
            video.put("pixelFormat", v.pixelFormat());
            video.put("width", v.width());
            video.put("height", v.height());
            video.put("codedWidth", v.codedWidth());
            video.put("codedHeight", v.codedHeight());
            video.put("rotation", v.rotation());
            video.put("nominalFps", v.nominalFps());
            video.put("averageFps", v.averageFps());
            video.put("variableFrameRate", v.variableFrameRate());
            video.put("timelineFps", v.timelineFps());
            video.put("frameCount", v.frameCount());
            video.put("durationSeconds", v.durationSeconds());
        } else {
            node.putNull("video");
        }
        if (info.audio().isPresent()) {
            AudioStreamInfo a = info.audio().get();
            ObjectNode audio = node.putObject("audio");
            audio.put("codec", a.codec());
            audio.put("sampleRate", a.sampleRate());
            audio.put("channels", a.channels());
            audio.put("durationSeconds", a.durationSeconds());
        } else {
            node.putNull("audio");
        }
        return node;
    }
}
