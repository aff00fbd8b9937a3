package com.heygem.engine.sync;

import com.heygem.engine.speech.SpeechFeatures;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateProfile;

/**
 * The sync judge's reading of a render from its plan: the mouth opening of each template frame
 * the plan puts into the picture (as the template's analysis measured it from its landmarks),
 * against the speech. Costs a few milliseconds, so every render reports it; reading the finished
 * video instead (its landmarks found again) is what {@code heygem evaluate} does, at the cost of
 * a second analysis. Neither the plan nor the mouth model it came from uses the judge.
 */
public final class PlanReading {
    private PlanReading() {
    }

    public static SyncJudge.Reading of(SyncJudge judge, TemplateProfile profile, RenderPlan plan, SpeechFeatures speech) {
        int n = plan.length();
        float[] opening = new float[n];
        boolean[] use = new boolean[n];
        float[] mouth = profile.mouth();
        int d = MouthDescriptor.SIZE;
        int open = MouthDescriptor.INNER_OPEN;
        for (int t = 0; t < n; t++) {
            int s = plan.source()[t];
            if (s < 0 || profile.mouthCovered()[s]) {
                continue;
            }
            float o = mouth[s * d + open];
            int f = plan.fade()[t];
            if (f >= 0) { // a dissolve shows a mix of the two mouths
                float w = plan.fadeWeight()[t];
                o = (1 - w) * o + w * mouth[f * d + open];
            }
            opening[t] = o;
            use[t] = true;
        }
        return judge.read(opening, use, speech, profile.summary().fps());
    }
}
