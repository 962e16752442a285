"""Builds the clipboard fixtures: what Word and WPS put on the Windows clipboard when a notice is copied.

Run it with the project's Python (`python tests/browser/clipboard/build.py`); it rewrites the files beside it.
The HTML and RTF follow, element for element, the structure of the clipboard flavours published in public bug
reports and test data of web editors (see README.md in this folder); the text, the table and the picture are
ours. `notice.docx` is the same document as a Word file (python-docx), for trying the paste by hand.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
TITLE = "关于组织申报2026年度科技创新券的通知"
ROWS = [  # the table: 类别 spans two rows, 支持额度 spans two columns in the header
    ("类别", "支持额度", ""),
    ("", "首次申领", "再次申领"),
    ("研发设计", "5万元", "3万元"),
    ("检验检测", "2万元", "1万元"),
]
LINK = "https://kjj.mingchuan.gov.cn/kjcxq/"


def picture() -> bytes:
    """A 96 x 64 PNG: a red seal-like disc on white, drawn without an imaging library."""
    width, height = 96, 64
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            inside = (x - 48) ** 2 + (y - 32) ** 2 <= 26 ** 2
            ring = 22 ** 2 <= (x - 48) ** 2 + (y - 32) ** 2 <= 26 ** 2 or abs(x - 48) + abs(y - 32) < 9
            row += bytes((200, 30, 30) if inside and ring else (255, 255, 255))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


def hex_lines(data: bytes, width: int = 128) -> str:
    text = data.hex()
    return "\r\n".join(text[i : i + width] for i in range(0, len(text), width))


# ---- Microsoft Word (2016, Windows, pasted in Chrome) ---------------------------------------------------------

WORD_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<link rel=File-List
href="file:///C:/Users/kjj/AppData/Local/Temp/msohtmlclip1/01/clip_filelist.xml">
<!--[if gte mso 9]><xml>
 <o:OfficeDocumentSettings>
  <o:AllowPNG/>
 </o:OfficeDocumentSettings>
</xml><![endif]-->
<link rel=themeData
href="file:///C:/Users/kjj/AppData/Local/Temp/msohtmlclip1/01/clip_themedata.thmx">
<link rel=colorSchemeMapping
href="file:///C:/Users/kjj/AppData/Local/Temp/msohtmlclip1/01/clip_colorschememapping.xml">
<!--[if gte mso 9]><xml>
 <w:WordDocument>
  <w:View>Normal</w:View>
  <w:Zoom>0</w:Zoom>
  <w:TrackMoves>false</w:TrackMoves>
  <w:TrackFormatting/>
  <w:PunctuationKerning/>
  <w:DrawingGridVerticalSpacing>7.8 磅</w:DrawingGridVerticalSpacing>
  <w:DisplayHorizontalDrawingGridEvery>0</w:DisplayHorizontalDrawingGridEvery>
  <w:DisplayVerticalDrawingGridEvery>2</w:DisplayVerticalDrawingGridEvery>
  <w:ValidateAgainstSchemas/>
  <w:SaveIfXMLInvalid>false</w:SaveIfXMLInvalid>
  <w:IgnoreMixedContent>false</w:IgnoreMixedContent>
  <w:AlwaysShowPlaceholderText>false</w:AlwaysShowPlaceholderText>
  <w:DoNotPromoteQF/>
  <w:LidThemeOther>EN-US</w:LidThemeOther>
  <w:LidThemeAsian>ZH-CN</w:LidThemeAsian>
  <w:LidThemeComplexScript>X-NONE</w:LidThemeComplexScript>
  <w:Compatibility>
   <w:SpaceForUL/>
   <w:BalanceSingleByteDoubleByteWidth/>
   <w:DoNotLeaveBackslashAlone/>
   <w:ULTrailSpace/>
   <w:DoNotExpandShiftReturn/>
   <w:AdjustLineHeightInTable/>
   <w:BreakWrappedTables/>
   <w:SnapToGridInCell/>
   <w:WrapTextWithPunct/>
   <w:UseAsianBreakRules/>
   <w:DontGrowAutofit/>
   <w:SplitPgBreakAndParaMark/>
   <w:EnableOpenTypeKerning/>
   <w:DontFlipMirrorIndents/>
   <w:OverrideTableStyleHps/>
   <w:UseFELayout/>
  </w:Compatibility>
  <w:BrowserLevel>MicrosoftInternetExplorer4</w:BrowserLevel>
 </w:WordDocument>
</xml><![endif]--><!--[if gte mso 9]><xml>
 <w:LatentStyles DefLockedState="false" DefUnhideWhenUsed="false"
  DefSemiHidden="false" DefQFormat="false" DefPriority="99"
  LatentStyleCount="375">
  <w:LsdException Locked="false" Priority="0" QFormat="true" Name="Normal"/>
  <w:LsdException Locked="false" Priority="9" QFormat="true" Name="heading 1"/>
  <w:LsdException Locked="false" Priority="9" SemiHidden="true"
   UnhideWhenUsed="true" QFormat="true" Name="heading 2"/>
  <w:LsdException Locked="false" Priority="34" QFormat="true"
   Name="List Paragraph"/>
  <w:LsdException Locked="false" Priority="39" Name="Table Grid"/>
 </w:LatentStyles>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face
	{font-family:宋体;
	panose-1:2 1 6 0 3 1 1 1 1 1;
	mso-font-alt:SimSun;
	mso-font-charset:134;
	mso-generic-font-family:auto;
	mso-font-pitch:variable;
	mso-font-signature:3 680460288 22 0 262145 0;}
@font-face
	{font-family:黑体;
	panose-1:2 1 6 9 6 1 1 1 1 1;
	mso-font-alt:SimHei;
	mso-font-charset:134;
	mso-generic-font-family:modern;
	mso-font-pitch:fixed;
	mso-font-signature:-2147482945 953122042 22 0 262145 0;}
@font-face
	{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;
	mso-font-charset:0;
	mso-generic-font-family:roman;
	mso-font-pitch:variable;
	mso-font-signature:3 0 0 0 1 0;}
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no;
	mso-style-qformat:yes;
	mso-style-parent:"";
	margin:0cm;
	margin-bottom:.0001pt;
	text-align:justify;
	text-justify:inter-ideograph;
	mso-pagination:none;
	font-size:10.5pt;
	mso-bidi-font-size:11.0pt;
	font-family:等线;
	mso-ascii-font-family:等线;
	mso-fareast-font-family:等线;
	mso-hansi-font-family:等线;
	mso-bidi-font-family:"Times New Roman";
	mso-bidi-theme-font:minor-bidi;
	mso-font-kerning:1.0pt;}
h1
	{mso-style-priority:9;
	mso-style-unhide:no;
	mso-style-qformat:yes;
	mso-style-link:"标题 1 字符";
	mso-style-next:正文;
	margin-top:17.0pt;
	margin-right:0cm;
	margin-bottom:16.5pt;
	margin-left:0cm;
	text-align:justify;
	text-justify:inter-ideograph;
	line-height:240%;
	mso-pagination:lines-together;
	page-break-after:avoid;
	mso-outline-level:1;
	font-size:22.0pt;
	font-family:等线;
	mso-font-kerning:22.0pt;
	font-weight:bold;}
h2
	{mso-style-priority:9;
	mso-style-qformat:yes;
	mso-style-link:"标题 2 字符";
	mso-style-next:正文;
	margin-top:13.0pt;
	margin-right:0cm;
	margin-bottom:13.0pt;
	margin-left:0cm;
	text-align:justify;
	text-justify:inter-ideograph;
	line-height:173%;
	mso-pagination:lines-together;
	page-break-after:avoid;
	mso-outline-level:2;
	font-size:16.0pt;
	font-family:"等线 Light";
	font-weight:bold;}
a:link, span.MsoHyperlink
	{mso-style-priority:99;
	color:#0563C1;
	mso-themecolor:hyperlink;
	text-decoration:underline;
	text-underline:single;}
p.MsoListParagraph, li.MsoListParagraph, div.MsoListParagraph
	{mso-style-priority:34;
	mso-style-unhide:no;
	mso-style-qformat:yes;
	margin:0cm;
	margin-bottom:.0001pt;
	text-align:justify;
	text-justify:inter-ideograph;
	text-indent:21.0pt;
	mso-char-indent-count:2.0;
	mso-pagination:none;
	font-size:10.5pt;
	font-family:等线;}
.MsoChpDefault
	{mso-style-type:export-only;
	mso-default-props:yes;
	font-family:等线;}
 /* Page Definitions */
 @page
	{mso-page-border-surround-header:no;
	mso-page-border-surround-footer:no;}
@page WordSection1
	{size:595.3pt 841.9pt;
	margin:72.0pt 90.0pt 72.0pt 90.0pt;
	mso-header-margin:42.55pt;
	mso-footer-margin:49.6pt;
	mso-paper-source:0;
	layout-grid:15.6pt;}
div.WordSection1
	{page:WordSection1;}
 /* List Definitions */
 @list l0
	{mso-list-id:1066034112;
	mso-list-type:hybrid;
	mso-list-template-ids:-1830411830 67698705 67698713 67698715 67698703 67698713 67698715 67698703 67698713 67698715;}
@list l0:level1
	{mso-level-text:"%1\\)";
	mso-level-tab-stop:none;
	mso-level-number-position:left;
	margin-left:21.0pt;
	text-indent:-21.0pt;}
@list l1
	{mso-list-id:1420636418;
	mso-list-type:hybrid;
	mso-list-template-ids:1426384394 67698689 67698691 67698693 67698689 67698691 67698693 67698689 67698691 67698693;}
@list l1:level1
	{mso-level-number-format:bullet;
	mso-level-text:;
	mso-level-tab-stop:none;
	mso-level-number-position:left;
	margin-left:21.0pt;
	text-indent:-21.0pt;
	font-family:Wingdings;}
ol
	{margin-bottom:0cm;}
ul
	{margin-bottom:0cm;}
-->
</style>
<!--[if gte mso 10]>
<style>
 /* Style Definitions */
 table.MsoNormalTable
	{mso-style-name:普通表格;
	mso-tstyle-rowband-size:0;
	mso-tstyle-colband-size:0;
	mso-style-noshow:yes;
	mso-style-priority:99;
	mso-style-parent:"";
	mso-padding-alt:0cm 5.4pt 0cm 5.4pt;
	mso-para-margin:0cm;
	mso-para-margin-bottom:.0001pt;
	mso-pagination:widow-orphan;
	font-size:10.5pt;
	font-family:等线;}
table.MsoTableGrid
	{mso-style-name:网格型;
	mso-tstyle-rowband-size:0;
	mso-tstyle-colband-size:0;
	mso-style-priority:39;
	mso-style-unhide:no;
	border:solid windowtext 1.0pt;
	mso-border-alt:solid windowtext .5pt;
	mso-padding-alt:0cm 5.4pt 0cm 5.4pt;
	mso-border-insideh:.5pt solid windowtext;
	mso-border-insidev:.5pt solid windowtext;
	mso-para-margin:0cm;
	mso-para-margin-bottom:.0001pt;
	text-align:justify;
	text-justify:inter-ideograph;
	mso-pagination:none;
	font-size:10.5pt;
	font-family:等线;}
</style>
<![endif]-->
</head>

<body lang=ZH-CN link="#0563C1" vlink="#954F72" style='tab-interval:21.0pt;
text-justify-trim:punctuation'>
<!--StartFragment-->
"""

WORD_SHAPETYPE = """<!--[if gte vml 1]><v:shapetype id="_x0000_t75"
 coordsize="21600,21600" o:spt="75" o:preferrelative="t" path="m@4@5l@4@11@9@11@9@5xe"
 filled="f" stroked="f">
 <v:stroke joinstyle="miter"/>
 <v:formulas>
  <v:f eqn="if lineDrawn pixelLineWidth 0"/>
  <v:f eqn="sum @0 1 0"/>
  <v:f eqn="sum 0 0 @1"/>
  <v:f eqn="prod @2 1 2"/>
  <v:f eqn="prod @3 21600 pixelWidth"/>
  <v:f eqn="prod @3 21600 pixelHeight"/>
  <v:f eqn="sum @0 0 1"/>
  <v:f eqn="prod @6 1 2"/>
  <v:f eqn="prod @7 21600 pixelWidth"/>
  <v:f eqn="sum @8 21600 0"/>
  <v:f eqn="prod @7 21600 pixelHeight"/>
  <v:f eqn="sum @10 21600 0"/>
 </v:formulas>
 <v:path o:extrusionok="f" gradientshapeok="t" o:connecttype="rect"/>
 <o:lock v:ext="edit" aspectratio="t"/>
</v:shapetype><v:shape id="图片_x0020_1" o:spid="_x0000_i1025" type="#_x0000_t75"
 style='width:72pt;height:48pt;visibility:visible;mso-wrap-style:square'>
 <v:imagedata src="file:///C:/Users/kjj/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png"
  o:title=""/>
</v:shape><![endif]--><![if !vml]><img width=96 height=64
src="file:///C:/Users/kjj/AppData/Local/Temp/msohtmlclip1/01/clip_image002.png"
alt="科技创新券标识" v:shapes="图片_x0020_1"><![endif]>"""


def _word_cell(text: str, width: int, *, rowspan: int = 1, colspan: int = 1, first: bool = False) -> str:
    spans = (f" rowspan={rowspan}" if rowspan > 1 else "") + (f" colspan={colspan}" if colspan > 1 else "")
    border = ("border:solid windowtext 1.0pt" if first else
              "border:solid windowtext 1.0pt;border-left:none;mso-border-left-alt:solid windowtext .5pt")
    body = f"<span style='font-family:宋体'>{text}</span>" if text else "<span lang=EN-US><o:p>&nbsp;</o:p></span>"
    return (f"  <td width={width}{spans} valign=top style='width:{width * 0.75:.1f}pt;{border};\n"
            f"  mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'>\n"
            f"  <p class=MsoNormal align=center style='text-align:center'>{body}<span\n"
            f"  lang=EN-US><o:p></o:p></span></p>\n  </td>\n")


def word_html() -> str:
    def list_item(number: str, text: str, lfo: int, level_text: str, font: str = "") -> str:
        marker_font = f"font-family:{font};" if font else ""
        return (f"<p class=MsoListParagraph style='margin-left:21.0pt;text-indent:-21.0pt;mso-char-indent-count:0;\n"
                f"mso-list:l{lfo - 1} level1 lfo{lfo}'><![if !supportLists]><span lang=EN-US style='{marker_font}"
                f"mso-bidi-font-family:等线'><span\nstyle='mso-list:Ignore'>{level_text}<span style='font:7.0pt "
                f"\"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;\n</span></span></span><![endif]><span "
                f"style='font-family:宋体'>{text}</span><span\nlang=EN-US><o:p></o:p></span></p>\n\n")

    table = ("<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0\n"
             " style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;\n"
             " mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>\n")
    table += (" <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>\n"
              + _word_cell("类别", 138, rowspan=2, first=True) + _word_cell("支持额度", 276, colspan=2) + " </tr>\n")
    table += (" <tr style='mso-yfti-irow:1'>\n" + _word_cell("首次申领", 138) + _word_cell("再次申领", 138)
              + " </tr>\n")
    for i, (kind, first, again) in enumerate(ROWS[2:], start=2):
        last = ";mso-yfti-lastrow:yes" if i == len(ROWS) - 1 else ""
        table += (f" <tr style='mso-yfti-irow:{i}{last}'>\n" + _word_cell(kind, 138, first=True)
                  + _word_cell(first, 138) + _word_cell(again, 138) + " </tr>\n")
    table += "</table>\n\n"

    return (WORD_HEAD
            + f"<h1 align=center style='text-align:center'><span style='font-family:黑体;mso-ascii-font-family:等线;\n"
              f"mso-hansi-font-family:等线'>{TITLE}</span><span lang=EN-US><o:p></o:p></span></h1>\n\n"
            + "<p class=MsoNormal><span style='font-family:宋体'>各有关企业：</span><span lang=EN-US><o:p></o:p></span></p>\n\n"
            + "<p class=MsoNormal style='text-indent:21.0pt;mso-char-indent-count:2.0'><span style='font-family:\n"
              "宋体'>为降低企业研发成本，现组织申报科技创新券，</span><b><span style='font-family:宋体'>申报截止日期为"
              "</span></b><b><span\nlang=EN-US>2026</span></b><b><span style='font-family:宋体'>年"
              "</span></b><b><span lang=EN-US>12</span></b><b><span\nstyle='font-family:宋体'>月"
              "</span></b><b><span lang=EN-US>31</span></b><b><span style='font-family:宋体'>日</span></b><span\n"
              "style='font-family:宋体'>。</span><span lang=EN-US><o:p></o:p></span></p>\n\n"
            + "<h2><span style='font-family:宋体'>一、申报条件</span><span lang=EN-US><o:p></o:p></span></h2>\n\n"
            + list_item("1", "在本市注册的科技型中小企业；", 1, "1)")
            + list_item("2", "上年度研发投入不低于营业收入的3%。", 1, "2)")
            + "<h2><span style='font-family:宋体'>二、支持标准</span><span lang=EN-US><o:p></o:p></span></h2>\n\n"
            + table
            + "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n\n"
            + list_item("", "申报材料须加盖单位公章；", 2, "\uf06c", "Wingdings")
            + list_item("", "逾期不予受理。", 2, "\uf06c", "Wingdings")
            + "<p class=MsoNormal><span style='font-family:宋体'>详见</span><span lang=EN-US><a\n"
              f"href=\"{LINK}\"><span lang=EN-US style='font-family:宋体'>科技创新券服务平台</span></a></span><span\n"
              "style='font-family:宋体'>。</span><span lang=EN-US><o:p></o:p></span></p>\n\n"
            + "<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US style='mso-no-proof:yes'>"
            + WORD_SHAPETYPE + "</span><span lang=EN-US><o:p></o:p></span></p>\n\n"
            + "<!--EndFragment-->\n</body>\n\n</html>\n")


def word_rtf(png: bytes) -> str:
    # Word writes each picture twice: the real one in \shppict (PNG, with \bliptag and \blipuid) and a WMF
    # fallback in \nonshppict for old readers.
    uid = zlib.crc32(png).to_bytes(4, "big").hex() * 4
    tag = -int.from_bytes(bytes.fromhex(uid[:8]), "big") % 2_000_000_000
    pict = (r"{\*\shppict{\pict{\*\picprop\shplid1025{\sp{\sn shapeType}{\sv 75}}{\sp{\sn fFlipH}{\sv 0}}"
            r"{\sp{\sn fFlipV}{\sv 0}}{\sp{\sn fLayoutInCell}{\sv 1}}}"
            r"\picscalex100\picscaley100\piccropl0\piccropr0\piccropt0\piccropb0"
            rf"\picw2540\pich1693\picwgoal1440\pichgoal960\pngblip\bliptag-{tag}{{\*\blipuid {uid}}}" + "\r\n"
            + hex_lines(png) + "}}"
            r"{\nonshppict{\pict\picscalex100\picscaley100\piccropl0\piccropr0\piccropt0\piccropb0"
            rf"\picw2540\pich1693\picwgoal1440\pichgoal960\wmetafile8\bliptag-{tag}\blipupi96" + "\r\n"
            + hex_lines(b"\x01\x00\x09\x00\x00\x03" + bytes(12)) + "}}")
    head = (r"{\rtf1\adeflang1025\ansi\ansicpg936\uc2\adeff31507\deff0\stshfdbch31505\stshfloch31506"
            r"\stshfhich31506\stshfbi31507\deflang1033\deflangfe2052\themelang1033\themelangfe2052\themelangcs0"
            r"{\fonttbl{\f0\fbidi \froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}"
            r"{\f13\fbidi \fnil\fcharset134\fprq2{\*\panose 02010600030101010101}\'cb\'ce\'cc\'e5{\*\falt SimSun};}}"
            "\r\n")
    body = (r"{\*\generator Microsoft Word 16.0;}\viewkind1\uc2"
            r"\pard\plain \qc \li0\ri0\nowidctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0"
            r"\itap0 \rtlch\fcs1 \af31507\afs21\alang1025 \ltrch\fcs0 \fs21\lang1033\langfe2052 {\rtlch\fcs1"
            r" \af31507 \ltrch\fcs0 \lang1024\langfe1024\noproof " + pict + r"}\par }")
    return head + body + "\r\n"


# ---- WPS Office (Writer 2019/12, Windows, pasted in Chrome) ---------------------------------------------------

WPS_HEAD = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" '
    'xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv=Content-Type content="text/html; charset=utf-8" >'
    '<meta name=ProgId content=Word.Document ><meta name=Generator content="Microsoft Word 14" >'
    '<meta name=Originator content="Microsoft Word 14" ><title></title><!--[if gte mso 9]><xml><w:WordDocument>'
    '<w:BrowserLevel>MicrosoftInternetExplorer4</w:BrowserLevel><w:DisplayHorizontalDrawingGridEvery>0'
    '</w:DisplayHorizontalDrawingGridEvery><w:DisplayVerticalDrawingGridEvery>2</w:DisplayVerticalDrawingGridEvery>'
    '<w:DocumentKind>DocumentNotSpecified</w:DocumentKind><w:DrawingGridVerticalSpacing>7.8 磅'
    '</w:DrawingGridVerticalSpacing><w:PunctuationKerning></w:PunctuationKerning><w:View>Normal</w:View>'
    '<w:Compatibility><w:DontGrowAutofit/><w:BalanceSingleByteDoubleByteWidth/><w:DoNotExpandShiftReturn/>'
    '</w:Compatibility><w:Zoom>0</w:Zoom></w:WordDocument></xml><![endif]--><!--[if gte mso 9]><xml>'
    '<w:LatentStyles DefLockedState="false"  DefUnhideWhenUsed="true"  DefSemiHidden="true"  DefQFormat="false"  '
    'DefPriority="99"  LatentStyleCount="260" >\n<w:LsdException Locked="false"  Priority="0"  SemiHidden="false"  '
    'UnhideWhenUsed="false"  QFormat="true"  Name="Normal" ></w:LsdException>\n<w:LsdException Locked="false"  '
    'Priority="9"  SemiHidden="false"  UnhideWhenUsed="false"  QFormat="true"  Name="heading 1" ></w:LsdException>\n'
    '<w:LsdException Locked="false"  Priority="9"  SemiHidden="false"  UnhideWhenUsed="false"  QFormat="true"  '
    'Name="heading 2" ></w:LsdException>\n<w:LsdException Locked="false"  Priority="99"  SemiHidden="false"  '
    'Name="Table Grid" ></w:LsdException>\n</w:LatentStyles></xml><![endif]--><style>\n'
    '@font-face{\nfont-family:"Times New Roman";\n}\n\n@font-face{\nfont-family:"宋体";\n}\n\n@font-face{\n'
    'font-family:"Calibri";\n}\n\n@font-face{\nfont-family:"黑体";\n}\n\n@font-face{\nfont-family:"Wingdings";\n}\n\n'
    '@list l0:level1{\nmso-level-number-format:decimal;\nmso-level-suffix:tab;\nmso-level-text:"%1)";\n'
    'mso-level-tab-stop:none;\nmso-level-number-position:left;\nmargin-left:21.0000pt;text-indent:-21.0000pt;'
    'font-family:\'Times New Roman\';}\n\n@list l1:level1{\nmso-level-number-format:bullet;\nmso-level-suffix:tab;\n'
    'mso-level-text:"\uf06c";\nmso-level-tab-stop:none;\nmso-level-number-position:left;\nmargin-left:21.0000pt;'
    'text-indent:-21.0000pt;font-family:Wingdings;}\n\np.MsoNormal{\nmso-style-name:正文;\nmso-style-parent:"";\n'
    'margin:0pt;\nmargin-bottom:.0001pt;\nmso-pagination:none;\ntext-align:justify;\ntext-justify:inter-ideograph;\n'
    'font-family:Calibri;\nmso-fareast-font-family:宋体;\nmso-bidi-font-family:\'Times New Roman\';\n'
    'font-size:10.5000pt;\nmso-font-kerning:1.0000pt;\n}\n\nh1{\nmso-style-name:"标题 1";\nmso-style-next:正文;\n'
    'margin-top:17.0000pt;\nmargin-bottom:16.5000pt;\nmso-para-margin-top:0.0000gd;\nmso-para-margin-bottom:0.0000gd;\n'
    'page-break-after:avoid;\nmso-pagination:lines-together;\ntext-align:justify;\ntext-justify:inter-ideograph;\n'
    'mso-outline-level:1;\nline-height:240%;\nfont-family:Calibri;\nmso-fareast-font-family:宋体;\n'
    'mso-bidi-font-family:\'Times New Roman\';\nfont-weight:bold;\nfont-size:22.0000pt;\nmso-font-kerning:22.0000pt;\n}\n\n'
    'h2{\nmso-style-name:"标题 2";\nmso-style-noshow:yes;\nmso-style-next:正文;\nmargin-top:13.0000pt;\n'
    'margin-bottom:13.0000pt;\nmso-para-margin-top:0.0000gd;\nmso-para-margin-bottom:0.0000gd;\n'
    'page-break-after:avoid;\nmso-pagination:lines-together;\ntext-align:justify;\ntext-justify:inter-ideograph;\n'
    'mso-outline-level:2;\nline-height:172%;\nfont-family:Arial;\nmso-fareast-font-family:黑体;\n'
    'mso-bidi-font-family:\'Times New Roman\';\nfont-weight:bold;\nfont-size:16.0000pt;\n}\n\n'
    'span.10{\nfont-family:Calibri;\n}\n\nspan.15{\nfont-family:Calibri;\ncolor:rgb(0,0,255);\n'
    'text-decoration:underline;\ntext-underline:single;\n}\n\np.MsoListParagraph{\nmso-style-name:列出段落;\n'
    'margin:0pt;\nmargin-bottom:.0001pt;\ntext-indent:21.0000pt;\nmso-char-indent-count:2.0000;\n'
    'mso-pagination:none;\ntext-align:justify;\ntext-justify:inter-ideograph;\nfont-family:Calibri;\n'
    'mso-fareast-font-family:宋体;\nmso-bidi-font-family:\'Times New Roman\';\nfont-size:10.5000pt;\n'
    'mso-font-kerning:1.0000pt;\n}\n\nspan.msoIns{\nmso-style-type:export-only;\nmso-style-name:"";\n'
    'text-decoration:underline;\ntext-underline:single;\ncolor:blue;\n}\n\nspan.msoDel{\nmso-style-type:export-only;\n'
    'mso-style-name:"";\ntext-decoration:line-through;\ncolor:red;\n}\n\ntable.MsoNormalTable{\nmso-style-name:普通表格;\n'
    'mso-style-parent:"";\nmso-style-noshow:yes;\nmso-tstyle-rowband-size:0;\nmso-tstyle-colband-size:0;\n'
    'mso-padding-alt:0.0000pt 5.4000pt 0.0000pt 5.4000pt;\nmso-para-margin:0pt;\nmso-para-margin-bottom:.0001pt;\n'
    'mso-pagination:widow-orphan;\nfont-family:\'Times New Roman\';\nfont-size:10.0000pt;\n'
    'mso-ansi-language:#0400;\nmso-fareast-language:#0400;\nmso-bidi-language:#0400;\n}\n\n'
    'table.MsoTableGrid{\nmso-style-name:网格型;\nmso-tstyle-rowband-size:0;\nmso-tstyle-colband-size:0;\n'
    'mso-padding-alt:0.0000pt 5.4000pt 0.0000pt 5.4000pt;\nmso-border-top-alt:0.5000pt solid windowtext;\n'
    'mso-border-left-alt:0.5000pt solid windowtext;\nmso-border-bottom-alt:0.5000pt solid windowtext;\n'
    'mso-border-right-alt:0.5000pt solid windowtext;\nmso-border-insideh:0.5000pt solid windowtext;\n'
    'mso-border-insidev:0.5000pt solid windowtext;\nmso-para-margin:0pt;\nmso-para-margin-bottom:.0001pt;\n'
    'mso-pagination:none;\ntext-align:justify;\ntext-justify:inter-ideograph;\nfont-family:\'Times New Roman\';\n'
    'font-size:10.0000pt;\nmso-ansi-language:#0400;\nmso-fareast-language:#0400;\nmso-bidi-language:#0400;\n}\n'
    '@page{mso-page-border-surround-header:no;\n\tmso-page-border-surround-footer:no;}@page Section0{\n'
    'margin-top:72.0000pt;\nmargin-bottom:72.0000pt;\nmargin-left:90.0000pt;\nmargin-right:90.0000pt;\n'
    'size:595.3000pt 841.9000pt;\nlayout-grid:15.6000pt;\nmso-header-margin:42.5500pt;\nmso-footer-margin:49.6000pt;\n}\n'
    'div.Section0{page:Section0;}</style></head><body style="tab-interval:21pt;text-justify-trim:punctuation;" >'
    '<!--StartFragment-->'
)

_WPS_RUN = ("mso-spacerun:'yes';font-family:宋体;mso-ascii-font-family:Calibri;mso-hansi-font-family:Calibri;"
            "mso-bidi-font-family:'Times New Roman';font-size:10.5000pt;mso-font-kerning:1.0000pt;")


def _wps_run(text: str, *, bold: bool = False, face: str = "宋体", style: str = _WPS_RUN) -> str:
    weight = "font-weight:bold;" if bold else ""
    run = f'<span style="{style.replace("font-family:宋体", "font-family:" + face)}{weight}" ><font face="{face}" >{text}</font></span>'
    return f"<b>{run}</b>" if bold else run


def _wps_end() -> str:
    return f'<span style="{_WPS_RUN}" ><o:p></o:p></span>'


def _wps_cell(text: str, *, rowspan: int = 1, colspan: int = 1) -> str:
    spans = (f" rowspan={rowspan}" if rowspan > 1 else "") + (f" colspan={colspan}" if colspan > 1 else "")
    width = 142 * colspan
    return (f'<td width={width} valign=top{spans} style="width:{width * 0.75:.4f}pt;padding:0.0000pt 5.4000pt '
            '0.0000pt 5.4000pt ;border-left:0.5000pt solid windowtext;mso-border-left-alt:0.5000pt solid windowtext;'
            'border-right:0.5000pt solid windowtext;mso-border-right-alt:0.5000pt solid windowtext;'
            'border-top:0.5000pt solid windowtext;mso-border-top-alt:0.5000pt solid windowtext;'
            'border-bottom:0.5000pt solid windowtext;mso-border-bottom-alt:0.5000pt solid windowtext;" >'
            f'<p class=MsoNormal  align=center  style="text-align:center;vertical-align:top;" >'
            f'{_wps_run(text) if text else ""}{_wps_end()}</p></td>')


def wps_html() -> str:
    def list_item(marker: str, text: str, lst: int, font: str = "Calibri") -> str:
        return ('<p class=MsoListParagraph  style="margin-left:21.0000pt;text-indent:-21.0000pt;mso-char-indent-count:0.0000;'
                f'mso-list:l{lst} level1 lfo{lst + 1};" ><![if !supportLists]><span style="font-family:{font};'
                "mso-fareast-font-family:宋体;mso-bidi-font-family:'Times New Roman';font-size:10.5000pt;"
                f'mso-font-kerning:1.0000pt;" ><span style=\'mso-list:Ignore;\' >{marker}<span>&nbsp;</span></span>'
                f"</span><![endif]>{_wps_run(text)}{_wps_end()}</p>")

    cells = [
        [_wps_cell("类别", rowspan=2), _wps_cell("支持额度", colspan=2)],
        [_wps_cell("首次申领"), _wps_cell("再次申领")],
        *[[_wps_cell(a), _wps_cell(b), _wps_cell(c)] for a, b, c in ROWS[2:]],
    ]
    table = ('<table class=MsoTableGrid  border=1  cellspacing=0  style="border-collapse:collapse;width:426.1000pt;'
             'mso-table-layout-alt:fixed;border:none;mso-border-left-alt:0.5000pt solid windowtext;'
             'mso-border-top-alt:0.5000pt solid windowtext;mso-border-right-alt:0.5000pt solid windowtext;'
             'mso-border-bottom-alt:0.5000pt solid windowtext;mso-border-insideh:0.5000pt solid windowtext;'
             'mso-border-insidev:0.5000pt solid windowtext;mso-padding-alt:0.0000pt 5.4000pt 0.0000pt 5.4000pt ;" >'
             + "".join(f"<tr>{''.join(row)}</tr>" for row in cells) + "</table>")
    heading_style = ("mso-spacerun:'yes';font-family:黑体;mso-ascii-font-family:Calibri;mso-hansi-font-family:Calibri;"
                     "mso-bidi-font-family:'Times New Roman';font-weight:bold;font-size:22.0000pt;"
                     "mso-font-kerning:22.0000pt;")
    h2_style = ("mso-spacerun:'yes';font-family:黑体;mso-ascii-font-family:Arial;mso-hansi-font-family:Arial;"
                "mso-bidi-font-family:'Times New Roman';font-weight:bold;font-size:16.0000pt;")
    image = ('<span style="mso-spacerun:\'yes\';font-family:宋体;mso-ascii-font-family:Calibri;'
             "mso-hansi-font-family:Calibri;mso-bidi-font-family:'Times New Roman';font-size:10.5000pt;"
             'mso-font-kerning:1.0000pt;" ><img width="96" height="64" '
             'src="file:///C:\\Users\\kjj\\AppData\\Local\\Temp\\ksohtml20868\\wps1.png" ></span>')
    link = (f'<a href="{LINK}" ><span class="15" style="mso-spacerun:\'yes\';font-family:宋体;'
            "mso-ascii-font-family:Calibri;mso-hansi-font-family:Calibri;mso-bidi-font-family:'Times New Roman';"
            'color:rgb(0,0,255);text-decoration:underline;text-underline:single;font-size:10.5000pt;'
            'mso-font-kerning:1.0000pt;" ><font face="宋体" >科技创新券服务平台</font></span></a>')
    return (WPS_HEAD
            + f'<h1 align=center  style="text-align:center;" >{_wps_run(TITLE, face="黑体", style=heading_style)}'
              f'<span style="{heading_style}" ><o:p></o:p></span></h1>'
            + f'<p class=MsoNormal >{_wps_run("各有关企业：")}{_wps_end()}</p>'
            + '<p class=MsoNormal  style="text-indent:21.0000pt;mso-char-indent-count:2.0000;" >'
              + _wps_run("为降低企业研发成本，现组织申报科技创新券，")
              + _wps_run("申报截止日期为2026年12月31日", bold=True) + _wps_run("。") + _wps_end() + "</p>"
            + f'<h2>{_wps_run("一、申报条件", face="黑体", style=h2_style)}<span style="{h2_style}" ><o:p></o:p></span></h2>'
            + list_item("1)", "在本市注册的科技型中小企业；", 0)
            + list_item("2)", "上年度研发投入不低于营业收入的3%。", 0)
            + f'<h2>{_wps_run("二、支持标准", face="黑体", style=h2_style)}<span style="{h2_style}" ><o:p></o:p></span></h2>'
            + table
            + f'<p class=MsoNormal >{_wps_end()}</p>'
            + list_item("\uf06c", "申报材料须加盖单位公章；", 1, "Wingdings")
            + list_item("\uf06c", "逾期不予受理。", 1, "Wingdings")
            + f'<p class=MsoNormal >{_wps_run("详见")}{link}{_wps_run("。")}{_wps_end()}</p>'
            + f'<p class=MsoNormal  align=center  style="text-align:center;" >{image}{_wps_end()}</p>'
            + "<!--EndFragment--></body></html>")


def wps_rtf(png: bytes) -> str:
    # WPS writes one \pict group per picture, without Word's \shppict wrapper, \bliptag or \blipuid.
    return (r"{\rtf1\ansi\ansicpg936\uc1\deff0\deflang1033\deflangfe2052{\fonttbl{\f0\fnil\fcharset0 Times New Roman;}"
            r"{\f1\fnil\fcharset134 \'cb\'ce\'cc\'e5;}}{\colortbl;\red0\green0\blue255;}"
            "\r\n" r"{\*\generator WPS Office}\viewkind4\uc1\pard\qc\f1\fs21"
            r"{\pict\picscalex100\picscaley100\piccropl0\piccropr0\piccropt0\piccropb0"
            r"\picw2540\pich1693\picwgoal1440\pichgoal960\pngblip" "\r\n" + hex_lines(png) + r"}\par" "\r\n}")


def notice_docx(png: bytes) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph("各有关企业：")
    paragraph = document.add_paragraph("为降低企业研发成本，现组织申报科技创新券，")
    paragraph.add_run("申报截止日期为2026年12月31日").bold = True
    paragraph.add_run("。")
    document.add_heading("一、申报条件", level=2)
    document.add_paragraph("在本市注册的科技型中小企业；", style="List Number")
    document.add_paragraph("上年度研发投入不低于营业收入的3%。", style="List Number")
    document.add_heading("二、支持标准", level=2)
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(1, 0)).text = "类别"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "支持额度"
    document.add_paragraph("申报材料须加盖单位公章；", style="List Bullet")
    document.add_paragraph("逾期不予受理。", style="List Bullet")
    document.add_paragraph(f"详见科技创新券服务平台（{LINK}）。").runs[0].font.size = Pt(10.5)
    document.add_picture(io.BytesIO(png))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    png = picture()
    (HERE / "picture.png").write_bytes(png)
    (HERE / "word.html").write_text(word_html(), encoding="utf-8", newline="")
    (HERE / "word.rtf").write_text(word_rtf(png), encoding="ascii", newline="")
    (HERE / "wps.html").write_text(wps_html(), encoding="utf-8", newline="")
    (HERE / "wps.rtf").write_text(wps_rtf(png), encoding="ascii", newline="")
    (HERE / "notice.docx").write_bytes(notice_docx(png))


if __name__ == "__main__":
    main()
