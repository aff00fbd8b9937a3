package com.heygem.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real test media in {@code ../shared/media}. Tests that need it skip themselves when it is
 * absent, except under CI ({@code CI=true}), where its absence is a failure.
 */
public final class SharedMedia {
    private SharedMedia() {
    }

    public static Path dir() {
        Path dir = Path.of(System.getProperty("heygem.sharedMedia", "../shared/media")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("templates"))) {
            String message = "shared test media not found at " + dir + " (a checkout of ../shared beside the repository)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; under CI it must be present");
            }
            Assumptions.abort(message);
        }
        return dir;
    }

    /**
     * dlib's landmark model from Debian's libdlib-data (or {@code heygem.modelPath}); skips the
     * test when it is absent, fails under CI, where the launcher installs it.
     */
    public static Path landmarkModel() {
        Path model = Path.of(System.getProperty("heygem.modelPath",
                "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"));
        if (!Files.isRegularFile(model)) {
            String message = "landmark model not found at " + model + " (apt-get install libdlib-data)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; under CI it must be present");
            }
            Assumptions.abort(message);
        }
        return model;
    }

    public static Path template(String name) {
        return dir().resolve("templates").resolve(name);
    }

    public static Path audio(String name) {
        return dir().resolve("audio").resolve(name);
    }

    public static List<Path> templates() {
        return list(dir().resolve("templates"));
    }

    public static List<Path> audios() {
        return list(dir().resolve("audio"));
    }

    /** Still images (jpg, png) under {@code faces/}. */
    public static List<Path> images() {
        try (Stream<Path> s = Files.walk(dir().resolve("faces"))) {
            return s.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
