"""Makes test PDFs from text files with a real PDF producer (tests/pdf_real.rs runs it).

usage: make_pdfs.py PRODUCER LIST
  PRODUCER  reportlab: STSong-Light through UnicodeCIDFont, a standard CJK font that is not
                       embedded (Type0, predefined CMap UniGB-UCS2-H, no /ToUnicode), with
                       a "- N -" page number in the footer of every page;
            fpdf2:     WenQuanYi Zen Hei embedded as a subset (Type0, Identity-H, /ToUnicode);
            encrypted: a one-page PDF of the first paragraph that needs the user password
                       "secret", and next to it NAME.owner.pdf with only an owner password;
            scan:      two pages that are each one image (rendered nothing from the text: a
                       stand-in for a scanned document without OCR).
  LIST      lines "SOURCE<TAB>DESTINATION": UTF-8 text in, PDF out; one paragraph per
            non-empty line, indented by two characters as Chinese documents are.
"""
import sys


def paragraphs(path):
    text = open(path, encoding="utf-8-sig").read()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [l.strip(" \t\u3000\u00a0") for l in text.split("\n") if l.strip(" \t\u3000\u00a0")]


def reportlab_pdf(src, dst):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=12, leading=20, firstLineIndent=24,
        wordWrap="CJK",
    )
    story = [Paragraph(escape(p), style) for p in paragraphs(src)]

    def footer(canvas, doc):
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, 30, "- %d -" % doc.page)

    SimpleDocTemplate(dst, pagesize=A4).build(story, onFirstPage=footer, onLaterPages=footer)


def fpdf2_pdf(src, dst):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    # A TrueType-outline font: with the CFF-based Noto CJK fonts, fpdf2 2.8 writes a /W array
    # keyed by the wrong glyph ids and the PDF itself is typeset wrongly.
    pdf.add_font("cjk", fname="/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(True, 25)
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    for p in paragraphs(src):
        # A first-line indent of two characters (multi_cell would break after "\u3000\u3000").
        pdf.set_x(pdf.l_margin + 24 / pdf.k)
        pdf.write(8, p)
        pdf.ln(8)
    pdf.output(dst)


def encrypted_pdf(src, dst):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    text = paragraphs(src)[0][:30]
    for name, user in ((dst, "secret"), (dst[:-4] + ".owner.pdf", "")):
        enc = pdfencrypt.StandardEncryption(user, ownerPassword="owner", strength=128)
        c = canvas.Canvas(name, encrypt=enc)
        c.setFont("STSong-Light", 12)
        c.drawString(72, 720, text)
        c.save()


def scan_pdf(src, dst):
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = ImageReader(Image.new("L", (200, 280), 230))
    c = canvas.Canvas(dst, pagesize=A4)
    for _ in range(2):
        c.drawImage(img, 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()


def main():
    producer, listing = sys.argv[1], sys.argv[2]
    make = {
        "reportlab": reportlab_pdf,
        "fpdf2": fpdf2_pdf,
        "encrypted": encrypted_pdf,
        "scan": scan_pdf,
    }[producer]
    for line in open(listing, encoding="utf-8"):
        if line.strip():
            src, dst = line.rstrip("\n").split("\t")
            make(src, dst)


if __name__ == "__main__":
    main()
