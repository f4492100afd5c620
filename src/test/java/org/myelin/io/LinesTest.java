package org.myelin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Text broken into lines for an 80-column terminal, with a hanging indent. */
class LinesTest {
    @Test
    void breaksAtSpacesUnderTheLabelAndNeverPastTheWidth() {
        String net = "40→256→20 T=80 Td=25 gauss σ=12.27→0.50 (schedule) τ=10.05 ϑ=1.0 α=5.0 vsum bn";
        assertEquals("network: 40→256→20 T=80 Td=25 gauss σ=12.27→0.50 (schedule) τ=10.05 ϑ=1.0 α=5.0\n"
                + "         vsum bn", Lines.of("network: ", net, "         "));
        String s = Lines.wrap("aaa bbb ccc ddd eee", 8, "> ", "  ");
        assertEquals("> aaa\n  bbb\n  ccc\n  ddd\n  eee\n", s);
        for (String line : s.split("\n")) assertTrue(line.length() <= 8, line);
        // a short text stays one line; a word longer than a line stays whole on its own line
        assertEquals("data: x", Lines.of("data: ", "x", "      "));
        String path = "/a/very/long/path/" + "x".repeat(90);
        assertEquals("features: in\n          " + path, Lines.of("features: ", "in " + path, "          "));
    }

    @Test
    void logMessagesLeaveRoomForTheLevel() {
        // FSDD's noise line fits one line after "INFO: "; GSC's is longer and goes on under it
        String fsdd = "waveform noise: 2430 waveforms (33.8 MB), 2 noise clips (0.5 MB), 8000 Hz";
        assertEquals(fsdd, Lines.afterLevel("INFO", fsdd));
        String gsc = Lines.afterLevel("INFO", "waveform noise: 85511 waveforms (2736.4 MB), 6 noise clips (11.5 MB), 16000 Hz");
        assertEquals("waveform noise: 85511 waveforms (2736.4 MB), 6 noise clips (11.5 MB),\n      16000 Hz", gsc);
        for (String line : ("INFO: " + gsc).split("\n")) assertTrue(line.length() <= Lines.COLUMNS, line);
        assertEquals("short", Lines.afterLevel("WARNING", "short"));
    }

    @Test
    void helpKeepsWhatFitsAndBreaksTheRestUnderItsColumn() {
        String fits = "usage: myelin x [options]\n\nShort text.\n\n  --a N      the a (default 1)\n";
        assertEquals(fits, Lines.help(fits));
        String d = "the number of things that are counted by this option when it runs, default three";
        String text = "usage: myelin thing --model MODEL --input FILE|DIR [--stream] [--chunk N] [--json]\n"
                + "                   [--threads N]\n"
                + "\n"
                + "A paragraph whose first line is longer than the eighty columns of a terminal goes\n"
                + "on and ends.\n"
                + "options:\n"
                + "  --count N          " + d + "\n"
                + "  --format F         hd:      " + d + "\n"
                + "                              and more\n"
                + "                     fsdd: " + d + "\n"
                + "  --a-very-long-option-name X " + d + "\n"
                + "  --b N              short\n";
        String help = Lines.help(text);
        for (String line : help.split("\n")) assertTrue(line.length() <= Lines.COLUMNS, line);
        assertEquals("usage: myelin thing --model MODEL --input FILE|DIR [--stream] [--chunk N]\n"
                + "                    [--json] [--threads N]\n"
                + "\n"
                + "A paragraph whose first line is longer than the eighty columns of a terminal\n"
                + "goes on and ends.\n"
                + "options:\n"
                + "  --count N          the number of things that are counted by this option when\n"
                + "                     it runs, default three\n"
                + "  --format F         hd:      the number of things that are counted by this\n"
                + "                              option when it runs, default three and more\n"
                + "                     fsdd: the number of things that are counted by this option\n"
                + "                           when it runs, default three\n"
                + "  --a-very-long-option-name X the number of things that are counted by this\n"
                + "                     option when it runs, default three\n"
                + "  --b N              short\n", help);
    }
}
