package com.heygem.engine.media;

import java.nio.file.Path;

/** Reads what a media file holds without decoding it. */
public final class MediaProbe {
    private MediaProbe() {
    }

    /** @throws com.heygem.engine.error.HeyGemException for a missing, non-media, broken or oversized file */
    public static MediaInfo probe(Path path, MediaLimits limits) {
        try (MediaInput input = MediaInput.open(path, limits)) {
            return input.info();
        }
    }
}
