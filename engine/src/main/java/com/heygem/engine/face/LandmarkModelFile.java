package com.heygem.engine.face;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where dlib's 68-point landmark model lives. Debian's {@code libdlib-data} installs it; the
 * model was trained on iBUG 300-W, whose licence excludes commercial use, so the path is a
 * setting ({@code face.modelPath}) for users who bring their own.
 */
public final class LandmarkModelFile {
    public static final Path DEFAULT_PATH = Path.of("/usr/share/dlib/shape_predictor_68_face_landmarks.dat");
    public static final String DEBIAN_PACKAGE = "libdlib-data";
    public static final String SETTING = "face.modelPath";

    private LandmarkModelFile() {
    }

    /** Returns {@code path} if it is a readable model file, else throws {@code MODEL_MISSING}. */
    public static Path require(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new HeyGemException(ErrorCode.MODEL_MISSING, path);
        }
        return path;
    }
}
