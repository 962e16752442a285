/*
 * The rich-text editor (富文本编辑器) of the staff workspace: CKEditor 5 on every <textarea data-richtext>.
 *
 * Without JavaScript the textarea stays and takes HTML; the server's sanitiser (core/text.py) is the only
 * gate either way. Assets are served by the site (static/vendor/ckeditor5, scripts/vendor-editor).
 * Modes: "full" (headings, lists, tables, links, images uploaded to data-upload-url) and "basic" (no images).
 */
(function () {
  "use strict";

  var C = window.CKEDITOR;
  var MB = 1024 * 1024;

  function textOf(messages, key) {
    return (messages && messages[key]) || key;
  }

  // Word and WPS put pictures on the clipboard as local files (file:///…) that a page may not read; the
  // bytes are in the RTF flavour as \pict groups. Word's groups carry \bliptag, which CKEditor's own
  // Paste from Office reads; WPS's do not, so those are read here.
  function rtfPictures(rtf) {
    var pictures = [];
    var re = /\\(pngblip|jpegblip)((?:\\bliptag-?\d+|\\blipupi-?\d+|\{\\\*\\blipuid\s?[\da-fA-F]+\}|\s)*)([\da-fA-F\s]+)\}/g;
    var m;
    while ((m = re.exec(rtf)) !== null) {
      pictures.push({
        type: m[1] === "pngblip" ? "image/png" : "image/jpeg",
        hex: m[3].replace(/[^\da-fA-F]/g, ""),
        tagged: /\\bliptag/.test(m[2])
      });
    }
    return pictures;
  }

  function hexToBase64(hex) {
    var binary = "";
    for (var i = 0; i + 1 < hex.length; i += 2) binary += String.fromCharCode(parseInt(hex.substr(i, 2), 16));
    return window.btoa(binary);
  }

  // WPS marks its text runs with mso-spacerun:'yes' (quoted; Word writes mso-spacerun:yes, and only on runs
  // of spaces). CKEditor's Paste from Office turns such runs into spaces, so WPS's marker is dropped.
  function unmarkTextRuns(html) {
    return html.replace(/mso-spacerun\s*:\s*'yes'\s*;?/gi, "");
  }

  function localImageSources(html) {
    var found = [];
    var re = /<img\b[^>]*?\bsrc\s*=\s*(["'])(file:[^"']*)\1/gi;
    var withoutVml = html.replace(/<!--\[if gte vml 1\]>[\s\S]*?<!\[endif\]-->/gi, "");
    var m;
    while ((m = re.exec(withoutVml)) !== null) found.push(m[2]);
    return found;
  }

  // A style attribute in pasted HTML makes a Content-Security-Policy report when CKEditor parses it (even in
  // the detached document it parses into): each goes through the parse under another name and is put back as
  // the view's style before Paste from Office or the converters read it (restoreStyles).
  var CARRIED = "data-gk-style";

  function carryStyles(html) {
    return html.replace(/<[a-zA-Z][^<>]*/g, function (tag) {
      return tag.replace(/(\s)style(\s*=)/gi, "$1" + CARRIED + "$2");
    });
  }

  // What Paste from Office does to Word's space runs (<span style='mso-spacerun:yes'>) before and after its
  // parse, done here because under their carried name it would not find them.
  function spaceRuns(html) {
    var decoder = document.createElement("textarea");
    return html
      .replace(/(<span\s+style=['"]mso-spacerun:yes['"]>[^\S\r\n]*?)[\r\n]+([^\S\r\n]*<\/span>)/g, "$1$2")
      .replace(/<span\s+style=['"]mso-spacerun:yes['"]><\/span>/g, "")
      .replace(/(<span\s+style=['"]letter-spacing:[^'"]+?['"]>)[\r\n]+(<\/span>)/g, "$1 $2")
      .replace(/(<span\b[^<>]*\sstyle\s*=\s*(['"])[^'"]*spacerun[^'"]*\2[^<>]*>)([^<]*)(<\/span>)/gi,
        function (whole, open, quote, text, close) {
          decoder.innerHTML = text;
          var n = decoder.value.length;
          return open + new Array(n + 1).join("\u00a0 ").substr(0, n) + close;
        });
  }

  function restoreStyles(fragment) {
    if (!fragment || typeof fragment.getChildren !== "function") return;
    var writer = new C.UpcastWriter(fragment.document);
    Array.from(writer.createRangeIn(fragment).getItems()).forEach(function (node) {
      if (node.is("element") && node.hasAttribute(CARRIED)) {
        var style = node.getAttribute(CARRIED);
        writer.removeAttribute(CARRIED, node);
        if (style) writer.setAttribute("style", style, node);
      }
    });
  }

  function dataUrlBytes(src) {
    var comma = src.indexOf(",");
    return comma < 0 ? 0 : Math.floor((src.length - comma - 1) * 3 / 4);
  }

  function makeOfficePaste(options) {
    return function OfficePaste(editor) {
      var viewDocument = editor.editing.view.document;
      var say = options.say;

      // The item's title is the page's only h1: a pasted h1 becomes the first heading level of the body.
      if (editor.plugins.has("Heading")) {
        editor.conversion.for("upcast").elementToElement({ view: "h1", model: "heading2", converterPriority: "high" });
      }

      // Before Paste from Office (priority low + 10): repair what WPS writes, and refuse pastes too big.
      viewDocument.on("clipboardInput", function (evt, data) {
        if (typeof data.content !== "string") return;
        var html = data.content;
        var rtf = data.dataTransfer.getData("text/rtf") || "";
        var isOffice = /xmlns:o="urn:schemas-microsoft-com/i.test(html) || /<meta[^>]+Microsoft Word/i.test(html);
        var pending = 0; // bytes of Word's pictures, which Paste from Office takes from the RTF later
        if (isOffice) {
          html = spaceRuns(unmarkTextRuns(html));
          var locals = localImageSources(html);
          var pictures = rtfPictures(rtf);
          if (locals.length && pictures.length && pictures.every(function (p) { return !p.tagged; })) {
            // WPS: one \pict per picture, in document order.
            locals.forEach(function (src, i) {
              var picture = pictures[i];
              if (picture) html = html.split(src).join("data:" + picture.type + ";base64," + hexToBase64(picture.hex));
            });
          } else {
            pictures.forEach(function (p) { pending += p.hex.length / 2; });
          }
          if (options.withImages && locals.length > pictures.length) say("images_missing");
        }
        // A <style> element parsed by CKEditor is refused by the page's Content-Security-Policy (a console
        // report each paste); Word's list styles are handed to Paste from Office from the clipboard below.
        html = carryStyles(html.replace(/<style[^>]*>[\s\S]*?<\/style>/gi, ""));
        if (!options.withImages && /<img\b/i.test(html)) say("no_images");
        var total = pending;
        (html.match(/data:image\/[a-z+]+;base64,[A-Za-z0-9+/=\s]+/gi) || []).forEach(function (s) { total += dataUrlBytes(s); });
        if (total > options.pasteLimit) {
          say("too_large", Math.round(total / MB), Math.round(options.pasteLimit / MB));
          evt.stop();
          return;
        }
        data.content = html;
      }, { priority: "high" });

      // After Paste from Office parsed the HTML (low + 10): its own stylesheet reading needs a <style>
      // element, which a strict Content-Security-Policy refuses; the list styles are read from the text.
      viewDocument.on("clipboardInput", function (evt, data) {
        var extra = data.extraContent;
        if (!extra || !extra.isTransformedWithPasteFromOffice || extra.stylesString) return;
        var html = data.dataTransfer.getData("text/html") || "";
        var styles = [];
        html.replace(/<style[^>]*>([\s\S]*?)<\/style>/gi, function (whole, css) { styles.push(css); return whole; });
        extra.stylesString = styles.join(" ");
      }, { priority: C.priorities.low + 5 });

      editor.plugins.get("ClipboardPipeline").on("inputTransformation", function (evt, data) {
        restoreStyles(data.content);
      }, { priority: "highest" });
    };
  }

  // The page's Content-Security-Policy refuses style attributes, and CKEditor sets two while editing: a
  // picture's aspect-ratio (its width and height attributes already keep its shape) and the upload progress
  // bar's width (core/richtext.css shows the bar without it). Taken out before they reach the page, so no
  // console report is made; the saved HTML is the same.
  function withoutInlineStyles(editor) {
    if (!editor.plugins.has("ImageUtils")) return;
    var images = editor.plugins.get("ImageUtils");
    editor.conversion.for("downcast").add(function (dispatcher) {
      ["imageBlock", "imageInline"].forEach(function (model) {
        ["width", "height"].forEach(function (key) {
          dispatcher.on("attribute:" + key + ":" + model, function (evt, data, api) {
            var view = api.mapper.toViewElement(data.item);
            var img = view && images.findViewImgElement(view);
            if (img && img.hasStyle("aspect-ratio")) api.writer.removeStyle("aspect-ratio", img);
          }, { priority: "lowest" });
        });
      });
    });
    var uploads = editor.plugins.get("FileRepository").loaders;
    var view = editor.editing.view;
    view.document.registerPostFixer(function (writer) {
      if (!uploads.length) return false;
      var changed = false;
      Array.from(view.document.roots).forEach(function (root) {
        Array.from(writer.createRangeIn(root).getItems()).forEach(function (node) {
          if (node.is("uiElement") && node.hasClass("ck-progress-bar") && node.hasStyle("width")) {
            writer.removeStyle("width", node);
            changed = true;
          }
        });
      });
      return changed;
    });
  }

  function messageBox(textarea) {
    var box = document.createElement("div");
    box.className = "richtext-messages";
    box.setAttribute("role", "alert");
    box.hidden = true;
    textarea.parentNode.insertBefore(box, textarea);
    return function (text) {
      var p = document.createElement("p");
      p.textContent = text;
      box.appendChild(p);
      box.hidden = false;
    };
  }

  function csrfToken(textarea) {
    var form = textarea.form;
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Older texts were plain, one paragraph a line: they open as paragraphs.
  function asParagraphs(text) {
    if (/^\s*</.test(text)) return text;
    return text.split(/\r?\n/).filter(function (line) { return line.trim(); }).map(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      return p.outerHTML;
    }).join("");
  }

  function start(textarea) {
    var mode = textarea.getAttribute("data-richtext") || "basic";
    textarea.value = asParagraphs(textarea.value);
    // The hidden textarea cannot show the browser's "please fill in" bubble: the server says what is missing.
    textarea.removeAttribute("required");
    var messages = JSON.parse(textarea.getAttribute("data-richtext-messages") || "{}");
    var show = messageBox(textarea);
    var say = function (key, a, b) {
      show(textOf(messages, key).replace("%(size)s", a).replace("%(limit)s", b));
    };
    var uploadUrl = textarea.getAttribute("data-upload-url");
    var withImages = mode === "full" && uploadUrl;
    var plugins = [C.Essentials, C.Paragraph, C.PasteFromOffice, C.Notification];
    var toolbar = ["undo", "redo"];
    if (mode !== "paragraphs") {
      // "paragraphs": texts kept as plain paragraphs (the annual report's prose sections).
      plugins.push(C.Heading, C.Bold, C.Italic, C.Underline, C.Strikethrough, C.Subscript, C.Superscript, C.Link,
        C.List, C.BlockQuote, C.Alignment, C.RemoveFormat, C.HorizontalLine);
      toolbar.push("|", "heading", "|", "bold", "italic", "underline", "strikethrough", "|", "link", "bulletedList",
        "numberedList", "blockQuote", "alignment", "horizontalLine", "removeFormat");
    }
    if (mode === "full") {
      plugins.push(C.Table, C.TableToolbar, C.TableCaption);
      toolbar.push("|", "insertTable");
    }
    if (withImages) {
      plugins.push(C.Image, C.ImageCaption, C.ImageUpload, C.ImageToolbar, C.ImageTextAlternative, C.SimpleUploadAdapter,
        C.ImageBlock, C.ImageInline);
      toolbar.push("uploadImage");
    }
    var config = {
      licenseKey: "GPL",
      language: "zh-cn",
      plugins: plugins,
      extraPlugins: [makeOfficePaste({
        say: say,
        withImages: !!withImages,
        pasteLimit: parseInt(textarea.getAttribute("data-paste-limit") || String(20 * MB), 10)
      })],
      toolbar: { items: toolbar, shouldNotGroupWhenFull: false },
      heading: {
        options: [
          { model: "paragraph", title: "正文", class: "ck-heading_paragraph" },
          { model: "heading2", view: "h2", title: "一级标题", class: "ck-heading_heading2" },
          { model: "heading3", view: "h3", title: "二级标题", class: "ck-heading_heading3" },
          { model: "heading4", view: "h4", title: "三级标题", class: "ck-heading_heading4" }
        ]
      },
      link: { defaultProtocol: "https://", allowedProtocols: ["https?", "mailto"] },
      // Classes, not style attributes: the public page's Content-Security-Policy refuses inline styles.
      alignment: {
        options: [
          { name: "left", className: "ta-left" }, { name: "center", className: "ta-center" },
          { name: "right", className: "ta-right" }, { name: "justify", className: "ta-justify" }
        ]
      },
      table: { contentToolbar: ["tableColumn", "tableRow", "mergeTableCells", "toggleTableCaption"] },
      image: { toolbar: ["imageTextAlternative", "toggleImageCaption"], upload: { types: ["jpeg", "png", "gif", "webp"] } },
      simpleUpload: { uploadUrl: uploadUrl, headers: { "X-CSRFToken": csrfToken(textarea) } }
    };
    return C.ClassicEditor.create(textarea, config).then(function (editor) {
      var notification = editor.plugins.get("Notification");
      notification.on("show:warning", function (evt, data) {
        show(data.message);
        evt.stop();
      }, { priority: "high" });
      withoutInlineStyles(editor);
      textarea.richtextEditor = editor;
      return editor;
    }).catch(function (error) {
      // The textarea stays: people can still write HTML, and the server cleans it.
      textarea.hidden = false;
      if (window.console) window.console.error(error);
    });
  }

  function startAll() {
    if (!C) return;
    var areas = document.querySelectorAll("textarea[data-richtext]");
    window.richtextReady = Promise.all(Array.prototype.map.call(areas, start));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
