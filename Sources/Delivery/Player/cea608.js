// A CEA-608 (CTA-608-E) caption decoder for one data channel of one field's byte pairs (CC1 and
// CC2 on field 1, CC3 and CC4 on field 2): byte pairs in, the text on screen out, each time it
// changes. Pop-on (RCL ... EOC), roll-up (RU2-RU4, CR) and
// paint-on (RDC) captions, preamble address codes, tab offsets, backspace and delete to end of
// row, the basic, special and extended North American character sets. Styles (colours,
// italics, underline, backgrounds) are dropped: the text is what the cue carries. Pure: no DOM.

/** The caption grid (CTA-608-E §4.3): 15 rows of 32 columns. */
export const ROWS = 15;
export const COLUMNS = 32;

/** Basic characters that are not ASCII (CTA-608-E Table 50). */
const BASIC = {
  0x2A: "á", 0x5C: "é", 0x5E: "í", 0x5F: "ó", 0x60: "ú", 0x7B: "ç", 0x7C: "÷", 0x7D: "Ñ", 0x7E: "ñ", 0x7F: "█",
};
/** Special characters, second byte 0x30-0x3F after 0x11 (Table 49). 0x39 is a transparent space. */
const SPECIAL = ["®", "°", "½", "¿", "™", "¢", "£", "♪", "à", " ", "è", "â", "ê", "î", "ô", "û"];
/** Extended characters, second byte 0x20-0x3F after 0x12 and after 0x13 (Tables 5 and 6): each
 *  replaces the basic character sent before it for decoders without them. */
const EXTENDED = {
  0x12: ["Á", "É", "Ó", "Ú", "Ü", "ü", "‘", "¡", "*", "’", "—", "©", "℠", "•", "“", "”",
    "À", "Â", "Ç", "È", "Ê", "Ë", "ë", "Î", "Ï", "ï", "Ô", "Ù", "ù", "Û", "«", "»"],
  0x13: ["Ã", "ã", "Í", "Ì", "ì", "Ò", "ò", "Õ", "õ", "{", "}", "\\", "^", "_", "|", "~",
    "Ä", "ä", "Ö", "ö", "ß", "¥", "¤", "¦", "Å", "å", "Ø", "ø", "┌", "┐", "└", "┘"],
};
/** Rows of preamble address codes (Table 53) by first byte (data channel 1): second bytes
 *  0x40-0x5F address the first row, 0x60-0x7F the second. */
const PAC_ROWS = { 0x10: [11, 11], 0x11: [1, 2], 0x12: [3, 4], 0x13: [12, 13], 0x14: [14, 15], 0x15: [5, 6], 0x16: [7, 8], 0x17: [9, 10] };

/** One caption memory: the grid's characters. */
class Memory {
  constructor() { this.clear(); }
  clear() { this.rows = Array.from({ length: ROWS + 1 }, () => []); }
  set(row, column, char) { this.rows[row][column] = char; }
  eraseFrom(row, column) { this.rows[row].length = Math.min(this.rows[row].length, column); }
  /** The rows with text, top to bottom, each trimmed, one per line. */
  text() {
    return this.rows.map((r) => Array.from(r, (c) => c ?? " ").join("").trim()).filter((line) => line).join("\n");
  }
}

export class Cea608Decoder {
  /** @param onDisplay called with (time, text) each time the displayed text changes ("" when
   *  the screen is cleared).
   *  @param dataChannel 1 (CC1, CC3) or 2 (CC2, CC4): whose control codes and text are read. */
  constructor(onDisplay, dataChannel = 1) {
    this.onDisplay = onDisplay;
    this.dataChannel = dataChannel === 2 ? 2 : 1;
    this.reset();
  }

  reset() {
    this.displayed = new Memory();
    this.loading = new Memory();
    this.mode = undefined;
    this.rollRows = 0;
    this.row = ROWS;
    this.column = 0;
    /** Data channel of the last control code: text that follows belongs to it (§8.4). */
    this.channel = 1;
    this.lastControl = undefined;
    this.dirty = false;
    this.shown = "";
  }

  /** Where text is written: non-displayed memory in pop-on, the screen otherwise. */
  get target() { return this.mode === "popon" ? this.loading : this.displayed; }

  /** One byte pair of the field, at `time` (any unit the caller's cues use); parity bits are
   *  dropped here. Data channel 2's control codes are channel 1's with bit 3 of the first byte
   *  set (§D.6); they are read as channel 1's. */
  push(time, byte1, byte2) {
    const b1 = byte1 & 0x7F;
    const b2 = byte2 & 0x7F;
    if (b1 === 0 && b2 === 0) return;  // padding
    if (b1 >= 0x10 && b1 <= 0x1F) {
      // Control codes come twice in a row; the repeat is ignored once (§D.1).
      const key = (b1 << 8) | b2;
      if (this.lastControl === key) { this.lastControl = undefined; return; }
      this.lastControl = key;
      this.channel = b1 & 0x08 ? 2 : 1;
      if (this.channel !== this.dataChannel) return;
      // What was written on screen shows before a control code changes it.
      this.flush(time);
      this.control(time, b1 & ~0x08, b2);
      return;
    }
    this.lastControl = undefined;
    if (this.channel !== this.dataChannel || b1 < 0x20 || !this.mode) return;
    this.write(b1);
    if (b2 >= 0x20) this.write(b2);
  }

  /** Shows the text written on screen (roll-up, paint-on) since the last change, at `time`. */
  flush(time) {
    if (this.dirty) this.changed(time);
  }

  write(code) {
    this.put(BASIC[code] ?? String.fromCharCode(code));
  }

  put(char) {
    this.target.set(this.row, this.column, char);
    this.column = Math.min(this.column + 1, COLUMNS - 1);
    if (this.target === this.displayed) this.dirty = true;
  }

  control(time, b1, b2) {
    if ((b1 === 0x14 || b1 === 0x15) && b2 >= 0x20 && b2 <= 0x2F) { this.misc(time, b2); return; }
    if (b1 === 0x17 && b2 >= 0x21 && b2 <= 0x23) { this.column = Math.min(this.column + b2 - 0x20, COLUMNS - 1); return; }
    if (b2 >= 0x40 && PAC_ROWS[b1]) { this.preamble(time, PAC_ROWS[b1][b2 & 0x20 ? 1 : 0], b2); return; }
    if (!this.mode) return;
    if (b1 === 0x11 && b2 >= 0x20 && b2 <= 0x2F) { this.put(" "); return; }  // mid-row code: a space
    if (b1 === 0x11 && b2 >= 0x30 && b2 <= 0x3F) { this.put(SPECIAL[b2 - 0x30]); return; }
    if ((b1 === 0x12 || b1 === 0x13) && b2 >= 0x20 && b2 <= 0x3F) {
      this.column = Math.max(0, this.column - 1);
      this.put(EXTENDED[b1][b2 - 0x20]);
    }
    // Background and attribute codes (0x10/0x17 0x20-0x2F) carry style only.
  }

  misc(time, code) {
    switch (code) {
      case 0x20: this.mode = "popon"; break;  // RCL
      case 0x25: case 0x26: case 0x27: this.rollUp(time, code - 0x23); break;  // RU2-RU4
      case 0x29: this.mode = "painton"; break;  // RDC
      case 0x21:  // BS
        if (this.column > 0) this.column -= 1;
        this.target.eraseFrom(this.row, this.column);
        if (this.target === this.displayed) this.dirty = true;
        break;
      case 0x24:  // DER
        this.target.eraseFrom(this.row, this.column);
        if (this.target === this.displayed) this.dirty = true;
        break;
      case 0x2C: this.displayed.clear(); this.changed(time); break;  // EDM
      case 0x2D: if (this.mode === "rollup") this.carriageReturn(time); break;  // CR
      case 0x2E: this.loading.clear(); break;  // ENM
      case 0x2F: {  // EOC
        [this.displayed, this.loading] = [this.loading, this.displayed];
        this.mode = "popon";
        this.changed(time);
        break;
      }
      default: break;  // AOF, AON, FON, TR, RTD: text services and flash, not shown
    }
  }

  rollUp(time, rows) {
    if (this.mode !== "rollup") {
      // Entering roll-up from another mode erases the screen and the loading memory (§8.10.3).
      this.displayed.clear();
      this.loading.clear();
      this.changed(time);
      this.row = ROWS;
    }
    this.mode = "rollup";
    this.rollRows = rows;
    this.column = 0;
  }

  carriageReturn(time) {
    const top = Math.max(1, this.row - this.rollRows + 1);
    // Every row of the window moves up one; the top one leaves, the base row is empty again.
    for (let r = 1; r < this.row; r++) this.displayed.rows[r] = r < top ? [] : this.displayed.rows[r + 1];
    this.displayed.rows[this.row] = [];
    this.column = 0;
    this.changed(time);
  }

  preamble(time, row, b2) {
    if (this.mode === "rollup" && row !== this.row) {
      // The roll-up window moves to its new base row with its text.
      const moved = Array.from({ length: ROWS + 1 }, () => []);
      for (let k = 0; k < this.rollRows; k++) {
        const from = this.row - k;
        const to = row - k;
        if (from >= 1 && to >= 1) moved[to] = this.displayed.rows[from];
      }
      this.displayed.rows = moved;
      this.dirty = true;
    }
    this.row = row;
    // Indent codes (0x50-0x5F, 0x70-0x7F) move to column 4 × n.
    this.column = b2 & 0x10 ? ((b2 & 0x0E) >> 1) * 4 : 0;
    if (this.mode === "rollup") this.flush(time);
  }

  changed(time) {
    this.dirty = false;
    const text = this.displayed.text();
    if (text === this.shown) return;
    this.shown = text;
    this.onDisplay(time, text);
  }
}
