package dev.ssehub.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames to replay to one reconnecting client, in id order, each with its topic, and whether they are all it missed
 * ({@code complete}) or the first page of more; a client given a page comes back from its last id for the next one.
 */
record ReplayPage(List<byte[]> frames, List<String> topics, boolean complete) {

    /**
     * Merges per-topic runs, each in id order, into one run in id order, keeping what fits {@code maxBytes} (at
     * least one frame) and stopping after {@code horizon}, where a run was cut short. Complete when all of it fitted
     * and no run was cut ({@code horizon} is {@code Long.MAX_VALUE}).
     */
    static ReplayPage merge(List<List<ReplayLog.Entry>> runs, List<String> runTopics, long horizon, long maxBytes) {
        int total = 0;
        for (List<ReplayLog.Entry> run : runs) {
            total += run.size();
        }
        List<byte[]> frames = new ArrayList<>(total);
        List<String> topics = new ArrayList<>(total);
        int[] next = new int[runs.size()];
        long bytes = 0;
        while (frames.size() < total) {
            int pick = -1;
            for (int r = 0; r < runs.size(); r++) {
                if (next[r] < runs.get(r).size() && (pick < 0
                        || runs.get(r).get(next[r]).sequence() < runs.get(pick).get(next[pick]).sequence())) {
                    pick = r;
                }
            }
            ReplayLog.Entry entry = runs.get(pick).get(next[pick]);
            byte[] frame = entry.frame();
            if (entry.sequence() > horizon || (!frames.isEmpty() && bytes + frame.length > maxBytes)) {
                return new ReplayPage(frames, topics, false);
            }
            bytes += frame.length;
            frames.add(frame);
            topics.add(runTopics.get(pick));
            next[pick]++;
        }
        return new ReplayPage(frames, topics, horizon == Long.MAX_VALUE);
    }
}
