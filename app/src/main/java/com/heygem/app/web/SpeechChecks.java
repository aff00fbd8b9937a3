package com.heygem.app.web;

import com.heygem.app.store.BatchStore;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.Speech;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How much speech an uploaded audio holds, measured once per asset (decoding a minute of sound
 * takes well under a second), so the page and the API can warn before a batch renders a closed
 * mouth for a silent or speechless recording.
 */
final class SpeechChecks {
    /** Below this share of speech frames the recording is called silent. */
    static final double SILENT = 0.03;
    /** Below this, little speech: most of the video will have a closed mouth. */
    static final double LITTLE = 0.2;

    private final Path dataDir;
    private final Map<String, Map<String, Object>> results = new ConcurrentHashMap<>();

    SpeechChecks(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** {@code {"speechFraction", "warning": {"code","message","messageZh"} | null}}; null when unreadable. */
    Map<String, Object> of(BatchStore.Asset audio) {
        return results.computeIfAbsent(audio.id(), id -> measure(audio));
    }

    /** What {@link #of} found, when it was asked before; null otherwise (nothing is decoded). */
    Map<String, Object> known(BatchStore.Asset audio) {
        return results.get(audio.id());
    }

    private Map<String, Object> measure(BatchStore.Asset audio) {
        double fraction;
        try {
            fraction = Speech.load(dataDir.resolve(audio.storedPath()), MediaLimits.DEFAULT).features().speechFraction();
        } catch (HeyGemException e) {
            return null; // the render will say what is wrong with it
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("speechFraction", Math.round(1000 * fraction) / 1000.0);
        m.put("warning", warning(audio.fileName(), fraction));
        return m;
    }

    static Map<String, Object> warning(String name, double fraction) {
        if (fraction >= LITTLE) {
            return null;
        }
        boolean silent = fraction < SILENT;
        return Map.of("code", silent ? "AUDIO_SILENT" : "AUDIO_LITTLE_SPEECH",
                "message", silent ? name + " has no speech that can be heard: the presenter's mouth will stay closed"
                        : name + " has speech in only " + Math.round(100 * fraction) + " % of its length: the mouth"
                                + " will be closed most of the time",
                "messageZh", silent ? name + " 中听不到语音：人物的嘴会一直闭着"
                        : name + " 只有 " + Math.round(100 * fraction) + "% 的时间有语音：人物的嘴大部分时间会闭着");
    }
}
