/**
 * The files pages link to: a text file, a PDF document and a PNG image, made
 * from the page's id like everything else. Crawlers must not read them as
 * HTML: the text file holds an `<a href>` snippet, and the PDF holds words.
 *
 * @example
 * attachmentReply(web, factsOf(web, 5), "pdf").headers["content-type"]; // "application/pdf"
 */
import { Buffer } from "node:buffer";
import { Random } from "../harness/random.ts";
import type { Web } from "./generated-web.ts";
import type { Attachment, PageFacts } from "./page-facts.ts";
import { encodePng } from "./png.ts";
import type { Reply } from "./reply.ts";
import { sentences, titleOf } from "./text.ts";

/** The content type of each kind of attachment. */
export const attachmentTypes: Record<Exclude<Attachment, "none">, string> = {
  txt: "text/plain; charset=utf-8",
  pdf: "application/pdf",
  png: "image/png",
};

/** The reply for page `facts.id`'s attachment of type `format`. */
export function attachmentReply(web: Web, facts: PageFacts, format: Exclude<Attachment, "none">): Reply {
  const title = titleOf(web, facts.id);
  const random = Random.from(web.seed, "file", facts.id);
  if (format === "png") {
    const [r, g, b] = [random.int(0, 255), random.int(0, 255), random.int(0, 255)];
    const body = encodePng(16, 16, (x, y) => ((x >> 2) + (y >> 2)) % 2 === 0 ? [r, g, b] : [255 - r, 255 - g, 255 - b]);
    return { status: 200, headers: { "content-type": attachmentTypes.png }, body };
  }
  const text = sentences(web, random, facts.topic, 60).join(" ");
  if (format === "txt") {
    const body = `${title}\n\n${text}\n\nThis is plain text, not HTML: <a href="/trap/text.html">not a link</a>\n`;
    return { status: 200, headers: { "content-type": attachmentTypes.txt }, body };
  }
  return { status: 200, headers: { "content-type": attachmentTypes.pdf }, body: pdf(title) };
}

/** A one-page PDF showing one line of text (ASCII letters and spaces). */
function pdf(line: string): Uint8Array {
  const content = `BT /F1 18 Tf 36 72 Td (${line}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let text = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets = objects.map((object, i) => {
    const offset = text.length;
    text += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  text += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, "latin1");
}
