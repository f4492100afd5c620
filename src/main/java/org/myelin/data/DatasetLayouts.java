package org.myelin.data;

import org.myelin.model.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.myelin.data.audio.AudioFiles;

/**
 * Finds the recordings of a dataset folder, their labels and their train/test split, for each
 * supported layout ({@code hd}, {@code fsdd}, {@code folders}). Every problem with the layout is
 * an {@link IllegalArgumentException} with a one-line message naming the file or folder.
 */
final class DatasetLayouts {
    private DatasetLayouts() {}

    static final Pattern HD_NAME = Pattern.compile("lang-(english|german)_speaker-(\\d+)_trial-(\\d+)_digit-(\\d)\\.flac");
    static final Pattern FSDD_NAME = Pattern.compile("(\\d)_([A-Za-z0-9-]+)_(\\d+)\\.wav");

    /** The split of an {@link Entry}: 0 train, 1 test, 2 validation (a layout with a validation part: gsc). */
    static final int TRAIN = 0, TEST = 1, VALID = 2;

    /** One recording: its path relative to the data folder ('/'-separated), label and split ({@link #TRAIN}, {@link #TEST} or {@link #VALID}). */
    static final class Entry {
        final String file;
        final int label;
        final int split;

        Entry(String file, int label, int split) {
            this.file = file;
            this.label = label;
            this.split = split;
        }
    }

    /** The recordings of a dataset, train entries first, then test, then validation, each split sorted by file name. */
    static final class Listing {
        final String format;
        final List<Entry> entries;
        final List<String> classNames;
        /** How the split was chosen, for meta.json and messages. */
        final String splitRule;
        /** Audio files present but named in neither split file. */
        final int unlisted;

        Listing(String format, List<Entry> entries, List<String> classNames, String splitRule, int unlisted) {
            this.format = format;
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.<Entry>comparingInt(e -> e.split).thenComparing(e -> e.file));
            this.entries = sorted;
            this.classNames = classNames;
            this.splitRule = splitRule;
            this.unlisted = unlisted;
        }
    }

    static boolean hidden(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".");
    }

    /** Audio files directly inside a folder, sorted by name. */
    static List<Path> audioFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isRegularFile(p) && AudioFiles.isAudioName(p.getFileName().toString())).forEach(out::add);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    static List<Path> subfolders(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isDirectory(p) && !hidden(p)).forEach(out::add);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** Guesses the layout of a folder, or explains what was expected. */
    static String detect(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such folder");
        if (Files.exists(dir.resolve("x.npy")) && Files.exists(dir.resolve("y.npy")) && Files.exists(dir.resolve("split.npy"))) {
            return "cache";
        }
        String spiking = SpikeDatasets.detect(dir);
        if (spiking != null) return spiking;
        if (Files.isRegularFile(dir.resolve("validation_list.txt")) && Files.isRegularFile(dir.resolve("testing_list.txt"))) return "gsc";
        if (Files.isDirectory(dir.resolve("audio"))) return "hd";
        if (Files.isDirectory(dir.resolve("recordings"))) return "fsdd";
        if (Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"))) return "folders";
        for (Path sub : subfolders(dir)) if (!audioFiles(sub).isEmpty()) return "folders";
        throw new IllegalArgumentException(dir + ": cannot tell the dataset layout (expected audio/ with train_filenames.txt "
                + "and test_filenames.txt (hd), recordings/ (fsdd), class sub-folders or train/ and test/ (folders), "
                + "word folders with validation_list.txt and testing_list.txt (gsc), shd_train.h5/shd_test.h5 (shd), ssc_train.h5/ssc_valid.h5/ssc_test.h5 (ssc), "
                + "or a features folder with x.npy, y.npy and split.npy); give --format");
    }

    /**
     * The split rules a layout can be asked for: its own ({@code null} or "default"), by speaker
     * ("speaker": the last fifth of the speakers by name), or holding out named speakers
     * ("speaker:NAME[,NAME...]").
     */
    static final String SPLIT_SPEAKER = "speaker";

    static Listing list(Path dir, String format, double testFraction) throws IOException {
        return list(dir, format, testFraction, null);
    }

    /**
     * @param split null or "default": the layout's own split (split files; FSDD's takes rule);
     *              "speaker": FSDD split by speaker; "speaker:NAME[,NAME...]": those speakers are the
     *              test set (fsdd only)
     */
    static Listing list(Path dir, String format, double testFraction, String split) throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such folder");
        boolean bySpeaker = split != null && (split.equals(SPLIT_SPEAKER) || split.startsWith(SPLIT_SPEAKER + ":"));
        if (split != null && !split.equals("default") && !bySpeaker) {
            throw new IllegalArgumentException("unknown split '" + split + "' (default, speaker or speaker:NAME)");
        }
        if (bySpeaker && !format.equals("fsdd")) {
            throw new IllegalArgumentException("--split speaker is for the fsdd layout; " + format + " has its own split");
        }
        switch (format) {
            case "hd": return hd(dir);
            case "fsdd": return fsdd(dir, bySpeaker ? split : null);
            case "folders": return folders(dir, testFraction);
            case "gsc": return gsc(dir, 35);
            case "gsc12": return gsc(dir, 12);
            default: throw new IllegalArgumentException("unknown dataset format '" + format + "' (hd, fsdd, folders, gsc or gsc12)");
        }
    }

    /** Reads a split file: one base name a line; blank lines and lines starting with '#' are ignored. */
    private static List<String[]> splitNames(Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int k = 0; k < lines.size(); k++) {
            String s = lines.get(k).trim();
            if (s.isEmpty() || s.startsWith("#")) continue;
            out.add(new String[] {s, String.valueOf(k + 1)});
        }
        return out;
    }

    /**
     * Entries from train_filenames.txt and test_filenames.txt naming files in {@code sub}; names
     * without the extension get {@code ext}. A named file that does not exist, or one named twice,
     * is an error.
     */
    private static List<Entry> fromSplitFiles(Path dir, String sub, String ext, Labeler labeler) throws IOException {
        List<Entry> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        String[] files = {"train_filenames.txt", "test_filenames.txt"};
        for (int split = 0; split < 2; split++) {
            Path list = dir.resolve(files[split]);
            for (String[] line : splitNames(list)) {
                String name = line[0];
                String where = list + " line " + line[1];
                if (name.contains("/") || name.contains("\\")) name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
                if (!name.toLowerCase(Locale.ROOT).endsWith(ext)) name = name + ext;
                String rel = sub + "/" + name;
                if (!Files.isRegularFile(dir.resolve(rel))) {
                    throw new IllegalArgumentException(where + ": names '" + line[0] + "' but " + dir.resolve(rel) + " does not exist");
                }
                String before = seen.put(rel, where);
                if (before != null) throw new IllegalArgumentException(where + ": '" + line[0] + "' is already listed at " + before);
                out.add(new Entry(rel, labeler.label(name, where), split));
            }
        }
        return out;
    }

    interface Labeler {
        int label(String fileName, String where);
    }

    /** Heidelberg Digits: English digits are labels 0–9, German digits 10–19. */
    static int hdLabel(String name, String where) {
        Matcher m = HD_NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException(where + ": '" + name + "' is not named lang-{english|german}_speaker-NN_trial-N_digit-D.flac");
        }
        int digit = Integer.parseInt(m.group(4));
        return m.group(1).equals("english") ? digit : 10 + digit;
    }

    /**
     * The label a recording's file name gives in the hd or fsdd layout (hd first: English digit d
     * is d, German 10 + d; fsdd: the digit), or -1 when the name follows neither.
     */
    static int labelFromName(String fileName) {
        if (HD_NAME.matcher(fileName).matches()) return hdLabel(fileName, fileName);
        if (FSDD_NAME.matcher(fileName).matches()) return fsddLabel(fileName, fileName);
        return -1;
    }

    static int fsddLabel(String name, String where) {
        Matcher m = FSDD_NAME.matcher(name);
        if (!m.matches()) throw new IllegalArgumentException(where + ": '" + name + "' is not named {digit}_{speaker}_{index}.wav");
        return Integer.parseInt(m.group(1));
    }

    private static void needSplitFiles(Path dir, String format) {
        boolean train = Files.isRegularFile(dir.resolve("train_filenames.txt"));
        boolean test = Files.isRegularFile(dir.resolve("test_filenames.txt"));
        if (train != test) {
            throw new IllegalArgumentException(dir + ": " + format + " has " + (train ? "train_filenames.txt but no test_filenames.txt" : "test_filenames.txt but no train_filenames.txt"));
        }
    }

    static Listing hd(Path dir) throws IOException {
        Path audio = dir.resolve("audio");
        if (!Files.isDirectory(audio)) throw new IllegalArgumentException(dir + ": hd layout needs an audio/ folder");
        needSplitFiles(dir, "hd");
        if (!Files.isRegularFile(dir.resolve("train_filenames.txt"))) {
            throw new IllegalArgumentException(dir + ": hd layout needs train_filenames.txt and test_filenames.txt");
        }
        int present = audioFiles(audio).size();
        if (present == 0) throw new IllegalArgumentException(audio + ": no audio files");
        List<Entry> entries = fromSplitFiles(dir, "audio", ".flac", DatasetLayouts::hdLabel);
        if (entries.isEmpty()) throw new IllegalArgumentException(dir + ": train_filenames.txt and test_filenames.txt name no files");
        List<String> names = new ArrayList<>();
        names.addAll(ENGLISH_DIGITS);
        names.addAll(GERMAN_DIGITS);
        return new Listing("hd", entries, names, "train_filenames.txt/test_filenames.txt", Math.max(0, present - entries.size()));
    }

    /** The split rule of FSDD without split files (its README's): takes 0–4 of every speaker and digit are test. */
    static final String FSDD_RULE = "FSDD's rule: takes 0-4 of every speaker and digit are test";

    /** The digits' words, index = digit: the class names of FSDD and of the English half of the Heidelberg Digits. */
    static final List<String> ENGLISH_DIGITS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    /** The German digits' words, the Heidelberg Digits' classes 10–19. */
    static final List<String> GERMAN_DIGITS = List.of("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun");

    static Listing fsdd(Path dir) throws IOException {
        return fsdd(dir, null);
    }

    /**
     * FSDD: {@code recordings/{digit}_{speaker}_{index}.wav}. The split: the two split files when
     * present; otherwise FSDD's own rule (index 0–4 of every speaker and digit are test, 5 and up
     * train: 2,700 / 300 on the full set); with {@code bySpeaker} (split files or not) speakers
     * sorted by name, the last max(1, round(0.2·S)) of them are the test speakers; with
     * "speaker:NAME[,NAME...]" the named speakers are (each must be present).
     *
     * @param speakerRule null for the dataset's own split, else "speaker" or "speaker:NAME[,NAME...]"
     */
    static Listing fsdd(Path dir, String speakerRule) throws IOException {
        boolean bySpeaker = speakerRule != null;
        Path rec = dir.resolve("recordings");
        if (!Files.isDirectory(rec)) throw new IllegalArgumentException(dir + ": fsdd layout needs a recordings/ folder");
        needSplitFiles(dir, "fsdd");
        List<Path> files = audioFiles(rec);
        if (files.isEmpty()) throw new IllegalArgumentException(rec + ": no audio files");
        List<String> names = new ArrayList<>();
        names.addAll(ENGLISH_DIGITS);
        if (!bySpeaker && Files.isRegularFile(dir.resolve("train_filenames.txt"))) {
            List<Entry> entries = fromSplitFiles(dir, "recordings", ".wav", DatasetLayouts::fsddLabel);
            if (entries.isEmpty()) throw new IllegalArgumentException(dir + ": train_filenames.txt and test_filenames.txt name no files");
            return new Listing("fsdd", entries, names, "train_filenames.txt/test_filenames.txt", Math.max(0, files.size() - entries.size()));
        }
        Map<String, List<String>> bySpeakerName = new TreeMap<>();
        Map<String, Integer> labels = new LinkedHashMap<>();
        Map<String, Integer> takes = new HashMap<>();
        for (Path f : files) {
            String n = f.getFileName().toString();
            if (!n.endsWith(".wav")) throw new IllegalArgumentException(f + ": fsdd recordings must be .wav files named {digit}_{speaker}_{index}.wav");
            int label = fsddLabel(n, f.toString());
            Matcher m = FSDD_NAME.matcher(n);
            m.matches();
            bySpeakerName.computeIfAbsent(m.group(2), s -> new ArrayList<>()).add(n);
            labels.put(n, label);
            try {
                takes.put(n, Integer.parseInt(m.group(3)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(f + ": take number '" + m.group(3) + "' is too large");
            }
        }
        List<Entry> entries = new ArrayList<>();
        if (!bySpeaker) {
            for (Map.Entry<String, Integer> e : labels.entrySet()) {
                entries.add(new Entry("recordings/" + e.getKey(), e.getValue(), takes.get(e.getKey()) <= 4 ? 1 : 0));
            }
            return new Listing("fsdd", entries, names, FSDD_RULE, 0);
        }
        // By speaker: speakers sorted by name; the last max(1, round(0.2 S)) of them are the test
        // speakers (S = number of speakers; with one speaker, no test set).
        List<String> speakers = new ArrayList<>(bySpeakerName.keySet());
        TreeSet<String> testSpeakers;
        if (speakerRule.startsWith(SPLIT_SPEAKER + ":")) {
            testSpeakers = new TreeSet<>();
            for (String n : speakerRule.substring(SPLIT_SPEAKER.length() + 1).split(",", -1)) {
                if (!bySpeakerName.containsKey(n)) {
                    throw new IllegalArgumentException(rec + ": --split " + speakerRule + ": no recordings of speaker '" + n + "' (speakers: " + speakers + ")");
                }
                testSpeakers.add(n);
            }
        } else {
            int nTest = speakers.size() < 2 ? 0 : Math.max(1, (int) Math.round(0.2 * speakers.size()));
            testSpeakers = new TreeSet<>(speakers.subList(speakers.size() - nTest, speakers.size()));
        }
        for (Map.Entry<String, List<String>> e : bySpeakerName.entrySet()) {
            int split = testSpeakers.contains(e.getKey()) ? 1 : 0;
            for (String n : e.getValue()) entries.add(new Entry("recordings/" + n, labels.get(n), split));
        }
        return new Listing("fsdd", entries, names, "by speaker: test speakers " + testSpeakers, 0);
    }

    static Listing folders(Path dir, double testFraction) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        if (Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"))) {
            for (Path c : subfolders(dir.resolve("train"))) classes.add(c.getFileName().toString());
            if (classes.isEmpty()) throw new IllegalArgumentException(dir.resolve("train") + ": no class sub-folders");
            for (Path c : subfolders(dir.resolve("test"))) {
                if (!classes.contains(c.getFileName().toString())) {
                    throw new IllegalArgumentException(c + ": class '" + c.getFileName() + "' has no folder in " + dir.resolve("train"));
                }
            }
            String[] splits = {"train", "test"};
            for (int split = 0; split < 2; split++) {
                for (int label = 0; label < classes.size(); label++) {
                    Path cdir = dir.resolve(splits[split]).resolve(classes.get(label));
                    if (!Files.isDirectory(cdir)) continue;
                    List<Path> files = audioFiles(cdir);
                    if (files.isEmpty() && split == 0) throw new IllegalArgumentException(cdir + ": class folder holds no audio files (.wav or .flac)");
                    for (Path f : files) {
                        entries.add(new Entry(splits[split] + "/" + classes.get(label) + "/" + f.getFileName(), label, split));
                    }
                }
            }
            return new Listing("folders", entries, classes, "train/ and test/ folders", 0);
        }
        if (!(testFraction >= 0 && testFraction < 1)) throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
        List<Path> sub = subfolders(dir);
        if (sub.isEmpty()) throw new IllegalArgumentException(dir + ": no class sub-folders (folders layout: one sub-folder of audio files per class)");
        for (int label = 0; label < sub.size(); label++) {
            Path cdir = sub.get(label);
            String cname = cdir.getFileName().toString();
            classes.add(cname);
            List<Path> files = audioFiles(cdir);
            if (files.isEmpty()) throw new IllegalArgumentException(cdir + ": class folder holds no audio files (.wav or .flac)");
            // The last round(f·n) files of each class (by name) are the test files, at least one
            // when f > 0 and the class has two or more files.
            int n = files.size();
            int nTest = (int) Math.round(testFraction * n);
            if (testFraction > 0 && n >= 2) nTest = Math.max(1, nTest);
            nTest = Math.min(nTest, n - 1);
            for (int k = 0; k < n; k++) {
                entries.add(new Entry(cname + "/" + files.get(k).getFileName(), label, k >= n - nTest ? 1 : 0));
            }
        }
        return new Listing("folders", entries, classes, "last " + testFraction + " of each class by name", 0);
    }

    /** The ten keywords of Google Speech Commands' 12-class task, in the dataset authors' order. */
    static final List<String> GSC_KEYWORDS = List.of("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go");
    static final String GSC_NOISE = "_background_noise_";

    /**
     * Google Speech Commands (v0.02): one folder per word of 1 s clips; {@code validation_list.txt}
     * and {@code testing_list.txt} name the held-out files ("word/file.wav"): the validation part
     * ({@link #VALID}) and the test part; every other clip trains. {@code _background_noise_/} (any
     * folder starting with '_') is never a class.
     *
     * <p>{@code task} 35: every word folder is a class (sorted by name). {@code task} 12: "_silence_",
     * "_unknown_" and the ten keywords, as the dataset's authors define it: in each part, the
     * unknown class is a deterministic choice (by SHA-256 of the file's path) of ⌈10 %⌉ of the
     * keyword clips' count from the other words, and the silence class as many 1 s clips cut from
     * the background-noise recordings (named "FILE@START+LENGTH" in samples; recording k mod R,
     * offset from a hash of part and k).
     */
    static Listing gsc(Path dir, int task) throws IOException {
        Map<String, Integer> held = new HashMap<>();
        String[] lists = {"validation_list.txt", "testing_list.txt"};
        int[] listSplit = {VALID, TEST};
        for (int l = 0; l < 2; l++) {
            Path list = dir.resolve(lists[l]);
            if (!Files.isRegularFile(list)) throw new IllegalArgumentException(dir + ": gsc layout needs " + lists[l]);
            for (String[] line : splitNames(list)) {
                String rel = line[0].replace('\\', '/');
                if (!Files.isRegularFile(dir.resolve(rel))) {
                    throw new IllegalArgumentException(list + " line " + line[1] + ": names '" + line[0] + "' but " + dir.resolve(rel) + " does not exist");
                }
                if (held.put(rel, listSplit[l]) != null) throw new IllegalArgumentException(list + " line " + line[1] + ": '" + line[0] + "' is listed twice");
            }
        }
        List<String> words = new ArrayList<>();
        for (Path p : subfolders(dir)) {
            String w = p.getFileName().toString();
            if (!w.startsWith("_")) words.add(w);
        }
        if (words.isEmpty()) throw new IllegalArgumentException(dir + ": gsc layout has no word folders");
        List<String> classes = new ArrayList<>();
        if (task == 12) {
            classes.add(Model.SILENCE_CLASS);
            classes.add(Model.UNKNOWN_CLASS);
            for (String k : GSC_KEYWORDS) {
                if (!words.contains(k)) throw new IllegalArgumentException(dir + ": the 12-class task needs a folder '" + k + "'");
                classes.add(k);
            }
        } else {
            classes.addAll(words);
        }
        List<Entry> entries = new ArrayList<>();
        List<List<String>> unknown = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int[] known = new int[3];
        for (String w : words) {
            for (Path f : audioFiles(dir.resolve(w))) {
                String rel = w + "/" + f.getFileName();
                Integer h = held.get(rel);
                int split = h == null ? TRAIN : h;
                int label = classes.indexOf(w);
                if (label < 0) {
                    unknown.get(split).add(rel);
                    continue;
                }
                entries.add(new Entry(rel, label, split));
                known[split]++;
            }
        }
        String rule = "validation_list.txt/testing_list.txt";
        if (task != 12) return new Listing("gsc", entries, classes, rule, 0);
        List<Path> noise = Files.isDirectory(dir.resolve(GSC_NOISE)) ? audioFiles(dir.resolve(GSC_NOISE)) : List.of();
        long[] noiseFrames = new long[noise.size()];
        int[] noiseRate = new int[noise.size()];
        for (int k = 0; k < noise.size(); k++) {
            org.myelin.data.audio.Audio a = AudioFiles.read(Files.readAllBytes(noise.get(k)), noise.get(k).toString());
            noiseFrames[k] = a.frames;
            noiseRate[k] = a.sampleRate;
        }
        for (int split : new int[] {TRAIN, TEST, VALID}) {
            int want = (int) Math.ceil(known[split] * 0.10);
            List<String> u = new ArrayList<>(unknown.get(split));
            u.sort(Comparator.comparing((String s) -> hashHex(s)).thenComparing(s -> s));
            for (int k = 0; k < Math.min(want, u.size()); k++) entries.add(new Entry(u.get(k), 1, split));
            if (want > 0 && noise.isEmpty()) throw new IllegalArgumentException(dir + ": the 12-class task cuts its silence class from " + GSC_NOISE + "/, which holds no recordings");
            for (int k = 0; k < want; k++) {
                int r = k % noise.size();
                long len = noiseRate[r];
                if (noiseFrames[r] < len) throw new IllegalArgumentException(noise.get(r) + ": background noise shorter than 1 s");
                long span = noiseFrames[r] - len + 1;
                long start = Long.remainderUnsigned(Long.parseUnsignedLong(hashHex(split + "/" + k).substring(0, 15), 16), span);
                entries.add(new Entry(GSC_NOISE + "/" + noise.get(r).getFileName() + "@" + start + "+" + len, 0, split));
            }
        }
        return new Listing("gsc12", entries, classes, rule + "; unknown and silence 10 % of each part's keyword clips", 0);
    }

    private static String hashHex(String s) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 8; k++) sb.append(String.format("%02x", h[k]));
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
