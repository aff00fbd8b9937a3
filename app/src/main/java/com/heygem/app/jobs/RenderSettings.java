package com.heygem.app.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.EncoderSettings;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;

/**
 * A batch's own render settings, given when it is created ({@code "settings": {"preset", "crf"}})
 * and checked then, so a bad value is refused at once instead of failing every item later.
 * Anything left out takes the server's configured value.
 */
public final class RenderSettings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RenderSettings() {
    }

    /**
     * @return the settings as they will be used, written back as JSON (known keys only)
     * @throws HeyGemException INVALID_ARGUMENT naming the bad key
     */
    public static String normalise(JsonNode settings, EncoderSettings defaults) {
        EncoderSettings e = encoder(settings, defaults);
        return JSON.createObjectNode().put("preset", e.preset()).put("crf", e.crf()).toString();
    }

    /** The encoder a batch renders with: its stored settings over the server's. */
    public static EncoderSettings encoder(String settingsJson, EncoderSettings defaults) {
        try {
            return encoder(settingsJson == null ? null : JSON.readTree(settingsJson), defaults);
        } catch (IOException e) {
            return defaults; // written by normalise: cannot happen short of a hand-edited database
        }
    }

    private static EncoderSettings encoder(JsonNode settings, EncoderSettings defaults) {
        EncoderSettings e = defaults;
        if (settings == null || settings.isNull()) {
            return e;
        }
        if (!settings.isObject()) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "settings", "not an object: " + settings);
        }
        for (Iterator<String> keys = settings.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            JsonNode v = settings.get(key);
            switch (key) {
                case "preset":
                    e = e.withPreset(v.asText("").toLowerCase(Locale.ROOT));
                    break;
                case "crf":
                    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                        throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "settings.crf", v + " (a whole number 0 to 51)");
                    }
                    e = e.withCrf(v.asInt());
                    break;
                default:
                    throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "settings." + key,
                            "unknown setting (known: preset, crf)");
            }
        }
        return e;
    }
}
