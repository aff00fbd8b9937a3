package com.heygem.engine.sync;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.face.Similarity;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateProfile;
import java.util.Arrays;

/**
 * Chooses, for every output frame, which template frame's mouth to show: a Viterbi search over
 * a few candidate frames per step. The target cost says how well a frame's mouth matches what
 * the sound asks for and how close its head pose is to the background's; the concatenation cost
 * is zero for the template's own next frame (real motion) and a jump penalty plus the
 * appearance change otherwise; a run must last {@link #MIN_RUN} frames before jumping again,
 * so the mouth never flickers between sources.
 */
public final class UnitSelector {
    /** Candidates by target cost per output frame. */
    static final int CANDIDATES = 24;
    /** Best paths whose continuations are also tried. */
    static final int SURVIVORS = 16;
    static final int MIN_RUN = 3;
    static final float JUMP = 2.0f;
    static final float HOLD = 0.6f;
    static final float CONTINUITY = 0.5f;
    /** Yaw difference (Landmarks.yaw units) that costs as much as one unit of mouth mismatch. */
    static final float POSE_SCALE = 0.06f;
    /** A clearly open mouth in a pause is what rivals get wrong; make it all but impossible. */
    static final float OPEN_IN_SILENCE = 40f;
    /** Cheek points (jaw 2-4 and 12-14): where the seam runs, so where a different face outline shows. */
    static final int[] CHEEKS = {2, 3, 4, 12, 13, 14};
    /**
     * Mean cheek-point offset, as a share of the face width after alignment, that costs as much
     * as one unit of mouth mismatch: past about 3 % a second jaw line shows inside the cheek.
     */
    static final float CHEEK_SCALE = 0.025f;

    /**
     * Cost of a change of source that opens or closes the mouth faster than the person ever does
     * in one frame (the template's own 95th percentile), per squared multiple of that speed. The
     * mouth's own motion inside a run is the person's and costs nothing.
     */
    static final float TOO_FAST = 1.5f;
    /**
     * Speeds up to this multiple of the template's own are free: with no margin the held-out
     * mouth-landmark error of the portrait template rose from 0.056 to 0.061 of the
     * inter-ocular distance.
     */
    static final float SPEED_MARGIN = 1.3f;

    private final TemplateProfile profile;
    /** 95th percentile of the template's own frame-to-frame opening change, z units. */
    private final float speedLimit;
    private final MouthSpace space;
    private final boolean[] library;
    /** Each frame's cheek points in canonical coordinates, in units of CHEEK_SCALE face widths. */
    private final float[] cheeks;

    /**
     * @param library template frames allowed as mouth sources (face present, not held out)
     */
    public UnitSelector(TemplateProfile profile, MouthSpace space, boolean[] library) {
        this.profile = profile;
        this.space = space;
        this.library = library.clone();
        for (int f = 0; f < library.length; f++) {
            this.library[f] &= profile.mouthVisible(f);
        }
        this.cheeks = cheeks(profile);
        this.speedLimit = speedLimit(profile, space);
    }

    private static float speedLimit(TemplateProfile profile, MouthSpace space) {
        int n = profile.frames();
        int d = MouthSpace.D;
        float[] steps = new float[n];
        int count = 0;
        for (int f = 0; f + 1 < n; f++) {
            if (profile.mouthVisible(f) && profile.mouthVisible(f + 1) && profile.continues(f)) {
                steps[count++] = Math.abs(space.z[(f + 1) * d + MouthDescriptor.INNER_OPEN]
                        - space.z[f * d + MouthDescriptor.INNER_OPEN]);
            }
        }
        if (count < 10) {
            return Float.MAX_VALUE;
        }
        Arrays.sort(steps, 0, count);
        return Math.max(0.05f, steps[(int) (0.95 * (count - 1))]);
    }

    private static float[] cheeks(TemplateProfile profile) {
        int n = profile.frames();
        float[] out = new float[n * 2 * CHEEKS.length];
        float[] points = new float[Landmarks.VALUES];
        float[] aligned = new float[Landmarks.VALUES];
        for (int f = 0; f < n; f++) {
            if (!profile.facePresent()[f]) {
                continue;
            }
            profile.landmarks(f, points);
            Similarity.apply(profile.transforms(), 4 * f, points, aligned);
            float unit = (float) Landmarks.distance(aligned, 0, 16) * CHEEK_SCALE;
            for (int k = 0; k < CHEEKS.length; k++) {
                out[(f * CHEEKS.length + k) * 2] = Landmarks.x(aligned, CHEEKS[k]) / unit;
                out[(f * CHEEKS.length + k) * 2 + 1] = Landmarks.y(aligned, CHEEKS[k]) / unit;
            }
        }
        return out;
    }

    /** Frames with a face, the usual library. */
    public static boolean[] allFaces(TemplateProfile profile) {
        return profile.facePresent().clone();
    }

    /**
     * @param targets    {@code MouthSpace.D} z-scores per output frame
     * @param weights    per descriptor
     * @param silent     output frames in a pause
     * @param background template frame behind each output frame
     */
    public RenderPlan select(float[] targets, float[] weights, boolean[] silent, int[] background, double fps) {
        return select(targets, weights, silent, background, fps, null);
    }

    /**
     * Where the mouth stood before a block of output frames: a live render plans block after
     * block, and each block goes on from the last (no jump, no run cut short at its start).
     *
     * @param source the template frame shown last, -1 for none
     * @param run    how many frames its run had lasted
     */
    public record Carry(int source, int run) {
        /** Where the mouth stands after {@code plan}, which went on from {@code before} (null: from nothing). */
        public static Carry after(RenderPlan plan, Carry before) {
            int[] s = plan.source();
            int t = s.length - 1;
            if (t < 0) {
                return before;
            }
            if (s[t] < 0) {
                return new Carry(-1, 0);
            }
            int run = 1;
            while (t > 0 && s[t - 1] >= 0 && (s[t] == s[t - 1] + 1 || s[t] == s[t - 1])) {
                run++;
                t--;
            }
            boolean fromBefore = t == 0 && before != null && before.source() >= 0
                    && (s[0] == before.source() + 1 || s[0] == before.source());
            return new Carry(s[s.length - 1], fromBefore ? run + before.run() : run);
        }
    }

    /** @param carry where the previous block left the mouth, or null for a render of its own */
    public RenderPlan select(float[] targets, float[] weights, boolean[] silent, int[] background, double fps,
            Carry carry) {
        int frames = background.length;
        int n = profile.frames();
        int d = MouthSpace.D;
        float[] z = space.z;
        float[] yaw = profile.yaw();
        boolean[] present = profile.facePresent();
        float closedZ = space.toZ(MouthDescriptor.INNER_OPEN, space.closedLevel);
        int[] libraryFrames = java.util.stream.IntStream.range(0, n).filter(f -> library[f]).toArray();
        int[] source = new int[frames];
        Arrays.fill(source, -1);
        if (libraryFrames.length == 0) {
            return new RenderPlan(background.clone(), source, fps, 0, 0);
        }

        int width = CANDIDATES + SURVIVORS + 1;
        int[][] states = new int[frames][];
        float[][] cost = new float[frames][];
        int[][] back = new int[frames][];
        int[][] run = new int[frames][];
        float[] all = new float[libraryFrames.length];
        int[] order = new int[libraryFrames.length];
        int[] candidates = new int[width];
        // A carried mouth is the one state before frame 0, as if the previous block were still here.
        boolean carried = carry != null && carry.source() >= 0 && carry.source() < n && library[carry.source()];
        int[] carryState = carried ? new int[] {carry.source()} : null;
        float[] carryCost = carried ? new float[] {0} : null;
        int[] carryRun = carried ? new int[] {carry.run()} : null;

        for (int t = 0; t < frames; t++) {
            int b = background[t];
            int count = 0;
            // 1. the best frames for this target
            for (int i = 0; i < libraryFrames.length; i++) {
                all[i] = targetCost(targets, t, libraryFrames[i], b, weights, silent[t], z, yaw, present, closedZ);
            }
            int top = Math.min(CANDIDATES, libraryFrames.length);
            selectSmallest(all, order, top);
            for (int i = 0; i < top; i++) {
                candidates[count++] = libraryFrames[order[i]];
            }
            // 2. the natural continuations of the best paths so far
            if (t > 0 || carried) {
                int[] prev = t > 0 ? states[t - 1] : carryState;
                float[] prevCost = t > 0 ? cost[t - 1] : carryCost;
                Integer[] idx = new Integer[prev.length];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = i;
                }
                Arrays.sort(idx, (x, y) -> Float.compare(prevCost[x], prevCost[y]));
                for (int i = 0; i < Math.min(SURVIVORS, idx.length); i++) {
                    int last = prev[idx[i]];
                    if (profile.continues(last) && library[last + 1]) {
                        count = addUnique(candidates, count, last + 1);
                    } else {
                        // A run that cannot go on (end of the footage, a cut, a gap) may hold its
                        // frame until it is long enough to leave: never a one-frame flash.
                        count = addUnique(candidates, count, last);
                    }
                }
            }
            // 3. the background's own mouth: a perfect match for everything but the sound
            if (b >= 0 && b < n && library[b]) {
                count = addUnique(candidates, count, b);
            }
            int[] s = Arrays.copyOf(candidates, count);
            float[] c = new float[count];
            int[] bp = new int[count];
            int[] r = new int[count];
            for (int j = 0; j < count; j++) {
                float here = targetCost(targets, t, s[j], b, weights, silent[t], z, yaw, present, closedZ);
                if (t == 0 && !carried) {
                    c[j] = here;
                    bp[j] = -1;
                    r[j] = 1;
                    continue;
                }
                int[] prev = t > 0 ? states[t - 1] : carryState;
                float[] prevCosts = t > 0 ? cost[t - 1] : carryCost;
                int[] prevRuns = t > 0 ? run[t - 1] : carryRun;
                float bestCost = Float.MAX_VALUE;
                int bestIndex = 0;
                int bestRun = 1;
                for (int i = 0; i < prev.length; i++) {
                    int p = prev[i];
                    float move;
                    int runLength;
                    if (s[j] == p + 1 && profile.continues(p)) {
                        move = 0;
                        runLength = prevRuns[i] + 1;
                    } else if (s[j] == p) {
                        move = HOLD;
                        runLength = prevRuns[i] + 1;
                    } else {
                        if (prevRuns[i] < MIN_RUN) {
                            continue; // too soon to cut away: go on or hold
                        }
                        int natural = profile.continues(p) && present[p + 1] ? p + 1 : p;
                        move = JUMP + CONTINUITY * distance(z, natural, s[j], weights);
                        float speed = Math.abs(z[s[j] * d + MouthDescriptor.INNER_OPEN]
                                - z[p * d + MouthDescriptor.INNER_OPEN]) / speedLimit;
                        if (speed > SPEED_MARGIN) {
                            move += TOO_FAST * (speed - SPEED_MARGIN) * (speed - SPEED_MARGIN);
                        }
                        runLength = 1;
                    }
                    float total = prevCosts[i] + move;
                    if (total < bestCost) {
                        bestCost = total;
                        bestIndex = i;
                        bestRun = runLength;
                    }
                }
                // Unreachable without cutting a run short: out of the race (unless all are, below).
                c[j] = bestCost == Float.MAX_VALUE ? Float.POSITIVE_INFINITY : bestCost + here;
                bp[j] = bestIndex;
                r[j] = bestRun;
            }
            if ((t > 0 || carried) && allInfinite(c)) {
                // Every path is mid-run and none can go on (the library has a gap): cut from the cheapest.
                int[] prev = t > 0 ? states[t - 1] : carryState;
                float[] prevCosts = t > 0 ? cost[t - 1] : carryCost;
                int cheapest = 0;
                for (int i = 1; i < prev.length; i++) {
                    if (prevCosts[i] < prevCosts[cheapest]) {
                        cheapest = i;
                    }
                }
                for (int j = 0; j < count; j++) {
                    c[j] = prevCosts[cheapest] + 2 * JUMP
                            + targetCost(targets, t, s[j], b, weights, silent[t], z, yaw, present, closedZ);
                    bp[j] = cheapest;
                    r[j] = 1;
                }
            }
            // Keep costs small: only differences matter.
            float min = Float.MAX_VALUE;
            for (float v : c) {
                min = Math.min(min, v);
            }
            for (int j = 0; j < count; j++) {
                c[j] -= min;
            }
            states[t] = s;
            cost[t] = c;
            back[t] = bp;
            run[t] = r;
        }
        int best = 0;
        for (int j = 1; j < cost[frames - 1].length; j++) {
            if (cost[frames - 1][j] < cost[frames - 1][best]) {
                best = j;
            }
        }
        for (int t = frames - 1; t >= 0; t--) {
            source[t] = states[t][best];
            best = back[t][best]; // at t = 0 with a carry: the carried state, which is not part of this plan
        }
        int jumps = 0;
        boolean[] used = new boolean[n];
        int distinct = 0;
        for (int t = 0; t < frames; t++) {
            int b = background[t];
            if (b < 0 || b >= n || !profile.mouthVisible(b)) {
                source[t] = -1; // no face behind, or its mouth is covered: leave it as it is
                continue;
            }
            if (t > 0 && source[t - 1] >= 0 && source[t] != source[t - 1] + 1 && source[t] != source[t - 1]) {
                jumps++;
            }
            if (!used[source[t]]) {
                used[source[t]] = true;
                distinct++;
            }
        }
        return new RenderPlan(background.clone(), source, fps, jumps, distinct).withDissolves(library,
                profile.cutBefore());
    }

    private static boolean allInfinite(float[] c) {
        for (float v : c) {
            if (v != Float.POSITIVE_INFINITY) {
                return false;
            }
        }
        return true;
    }

    private float targetCost(float[] targets, int t, int s, int b, float[] weights, boolean silent,
            float[] z, float[] yaw, boolean[] present, float closedZ) {
        int d = MouthSpace.D;
        float c = 0;
        for (int k = 0; k < d; k++) {
            float diff = targets[t * d + k] - z[s * d + k];
            c += weights[k] * diff * diff;
        }
        if (b >= 0 && b < present.length && present[b]) {
            float pose = (yaw[s] - yaw[b]) / POSE_SCALE;
            c += pose * pose;
            int m = 2 * CHEEKS.length;
            float outline = 0;
            for (int k = 0; k < m; k++) {
                float off = cheeks[s * m + k] - cheeks[b * m + k];
                outline += off * off;
            }
            c += outline / CHEEKS.length;
        }
        if (silent && z[s * d + MouthDescriptor.INNER_OPEN] > closedZ) {
            c += OPEN_IN_SILENCE;
        }
        return c;
    }

    private static float distance(float[] z, int a, int b, float[] weights) {
        int d = MouthSpace.D;
        float c = 0;
        for (int k = 0; k < d; k++) {
            float diff = z[a * d + k] - z[b * d + k];
            c += weights[k] * diff * diff;
        }
        return c;
    }

    private static int addUnique(int[] list, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (list[i] == value) {
                return count;
            }
        }
        list[count] = value;
        return count + 1;
    }

    /** Puts the indices of the {@code k} smallest values first in {@code order} (partial selection). */
    private static void selectSmallest(float[] values, int[] order, int k) {
        int n = values.length;
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int best = i;
            for (int j = i + 1; j < n; j++) {
                if (values[order[j]] < values[order[best]]) {
                    best = j;
                }
            }
            int tmp = order[i];
            order[i] = order[best];
            order[best] = tmp;
        }
    }
}
