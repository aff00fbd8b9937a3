package com.heygem.app.cli;

import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.template.TemplateAnalyzer;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where profiles are cached and which landmark model finds faces: shared by analyze, render and evaluate. */
final class TemplateOptions {
    @Option(names = "--data-dir", defaultValue = "${env:HEYGEM_DATA_DIR:-data}",
            description = "Data directory holding the profile cache (env HEYGEM_DATA_DIR). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--model-path",
            defaultValue = "${env:HEYGEM_MODEL_PATH:-/usr/share/dlib/shape_predictor_68_face_landmarks.dat}",
            description = "dlib 68-point landmark model, setting face.modelPath (env HEYGEM_MODEL_PATH). Default: ${DEFAULT-VALUE}.")
    Path modelPath;

    /** @param cache false to analyse afresh and store nothing */
    TemplateAnalyzer analyzer(boolean cache) {
        return new TemplateAnalyzer(new TemplateAnalyzer.Settings(modelPath, cache ? dataDir : null,
                MediaLimits.DEFAULT, TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE));
    }

    /** Scratch space for renders: inside the data directory, on the same disk as the results usually are. */
    Path tempDir() {
        return dataDir.resolve("tmp");
    }
}
