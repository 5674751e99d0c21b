"""The one stylesheet and the one JS behaviour shared by every certlab HTML view.

Contract (other renderers rely on it)
-------------------------------------
* :func:`view` wraps fragments in ONE ``<div class="certlab-view">`` that
  carries the CSS and the behaviour.  Put several fragments (decoded fields,
  the ASN.1 explorer, findings) in the same view to link them.
* The behaviour needs no ``<script>`` tag (``ipywidgets.HTML`` sets
  ``innerHTML``, where scripts never run): inline event-handler attributes on
  the container (``onclick``, ``onmouseover``, ``onfocusin``, ``onkeydown``)
  install :data:`BEHAVIOUR` once per page from the container's
  ``data-certlab-js`` attribute, then delegate the event to it.  It works the
  same in JupyterLab outputs and exported HTML files, with no kernel.
* Any element inside the view with ``data-certlab-path="<node path>"``
  (pkilint-style path, see docs/ARCHITECTURE.md), when clicked or focused,
  selects that node in the explorer of the same view and scrolls it into view.
* Selecting a node adds the class ``certlab-linked`` to every element of the
  view whose ``data-certlab-path`` is the node's path or one of its aliases
  (the CHOICE / open-type prefixes between its parent's path and its own),
  and removes it from the others.
* Explorer tree items are ``role="treeitem"`` with ``data-s`` (their path
  after the parent's path; ``=full.path`` when not below it -- the behaviour
  rebuilds the full path and sets ``data-certlab-path`` on them), ``data-b="start,id,hdr,end"``
  (absolute offsets: node start, identifier octets, header octets, end) and
  ``data-x`` (index of the explanation in its explorer's ``.cl-ex`` list).
  Each explorer is one ``.cl-x`` block (tree, hex dump, info, explanations),
  so several explorers (e.g. before/after an edit) can share one view.  The
  hex dump is ``.cl-hex``: rows of space-separated byte text (marked bytes
  as ``<i>``), a row split into one ``<i>`` per byte when it is first marked.  Rows follow each
  other from offset 0 unless a row says its offset (``data-o``, after a
  ``.cl-gap`` row standing for bytes not drawn: a big object's dump shows the
  bytes of the tree nodes drawn, see :mod:`certlab.render.asn1_html`; in
  ``--html`` the rest waits in templates of rows, ``<template data-o data-e>``).
* Events inside a ``.cl-more`` row ("... N more" of a long list) are the row's
  own (its button's inline ``onclick``); the tree's behaviour leaves them.
  When views nest, the innermost handles an event and the outer ones skip it.
* Colours come from JupyterLab's ``--jp-*`` variables with fallbacks, so the
  views read in light and dark themes.  One exception: the tag / length /
  content byte marks sit on the ``--jp-*-color3`` backgrounds, which stay
  pale in JupyterLab's dark theme too, so their text is a fixed near-black
  (about 13:1 on every mark background, WCAG 2.x §1.4.3 asks 4.5:1) instead
  of the theme's light text (1.3:1 there).
"""

from __future__ import annotations

import html as _html

__all__ = ["STYLESHEET", "BEHAVIOUR", "WIDGET_STYLESHEET", "view", "shared_head", "slim"]

STYLESHEET = """
.certlab-view{font-family:var(--jp-ui-font-family,system-ui,sans-serif);font-size:var(--jp-ui-font-size1,13px);color:var(--jp-ui-font-color1,#212121);background:var(--jp-layout-color0,transparent)}
.certlab-view .cl-x{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start;container-type:inline-size}
.certlab-view .cl-tree{flex:1 1 380px;max-height:32em;overflow:auto;font-family:var(--jp-code-font-family,monospace);font-size:var(--jp-code-font-size,12px)}
.certlab-view .cl-tree ul{list-style:none;margin:0;padding-left:1.1em}
.certlab-view .cl-tree>ul{padding-left:0}
.certlab-view [role=treeitem]{cursor:pointer;outline:none}
.certlab-view [role=treeitem]>span{border-radius:3px;padding:0 2px}
.certlab-view [role=treeitem]:focus>span,.certlab-view [role=treeitem]>span:hover{background:var(--jp-layout-color2,#eee)}
.certlab-view [aria-selected=true]>span{background:var(--jp-brand-color3,#bbdefb);outline:1px solid var(--jp-brand-color1,#1976d2)}
.certlab-view [aria-expanded=false]>ul{display:none}
.certlab-view [aria-expanded]>span:before{content:"\\25be ";color:var(--jp-ui-font-color2,#757575)}
.certlab-view [aria-expanded=false]>span:before{content:"\\25b8 "}
.certlab-view [role=treeitem] b{font-weight:600;color:var(--jp-mirror-editor-variable-color,#05a)}
.certlab-view [role=treeitem] em{font-style:normal;color:var(--jp-mirror-editor-keyword-color,#708)}
.certlab-view [role=treeitem] var{font-style:normal;color:var(--jp-mirror-editor-string-color,#a11)}
.certlab-view .cl-w{color:var(--jp-warn-color0,#e65100)}
.certlab-view .cl-o{color:var(--jp-ui-font-color2,#757575)}
.certlab-view .cl-hex{flex:0 1 auto;max-height:32em;overflow:auto;font-family:var(--jp-code-font-family,monospace);font-size:var(--jp-code-font-size,12px);line-height:1.5}
.certlab-view .cl-hex b{font-weight:normal;color:var(--jp-ui-font-color2,#757575);margin-right:.6em}
.certlab-view .cl-hex>div{white-space:pre}
.certlab-view .cl-hex i{font-style:normal;display:inline-block;width:3ch}
.certlab-view .cl-hex u{text-decoration:none;margin-left:.8em;color:var(--jp-ui-font-color2,#757575)}
.certlab-view .cl-legend span{padding:0 .3em;margin-right:.4em}
.certlab-view .cl-hex i.h1,.certlab-view .cl-legend .h1{background:var(--jp-warn-color3,#ffe0b2);outline:1px solid var(--jp-warn-color1,#f57c00)}
.certlab-view .cl-hex i.h2,.certlab-view .cl-legend .h2{background:var(--jp-info-color3,#b3e5fc);text-decoration:underline}
.certlab-view .cl-hex i.h3,.certlab-view .cl-legend .h3{background:var(--jp-success-color3,#c8e6c9)}
.certlab-view .cl-hex i.h1,.certlab-view .cl-hex i.h2,.certlab-view .cl-hex i.h3,.certlab-view .cl-legend .h1,.certlab-view .cl-legend .h2,.certlab-view .cl-legend .h3{color:#1a1a1a}
.certlab-view .cl-hex i.cl-chg,.certlab-view .cl-legend .cl-chg{box-shadow:inset 0 -2px var(--jp-error-color1,#d32f2f)}
@container (max-width:660px){.certlab-view .cl-tree{max-height:17em}.certlab-view .cl-hex{max-height:15em}}
.certlab-view .cl-hex .cl-sec i{color:var(--jp-ui-font-color3,#9e9e9e);cursor:help}
.certlab-view .cl-info{flex:1 1 100%;min-height:3em;padding:4px 8px;border-left:3px solid var(--jp-brand-color1,#1976d2);background:var(--jp-layout-color1,#fafafa)}
.certlab-view .cl-ex{display:none}
.certlab-view .certlab-linked{outline:2px solid var(--jp-brand-color1,#1976d2)}
.certlab-view .cl-err{color:var(--jp-error-color1,#c62828)}
.certlab-view .cl-more,.certlab-view .cl-gap{list-style:none;color:var(--jp-ui-font-color2,#616161);font-style:italic}
.certlab-view .cl-more-b{font:inherit;color:var(--jp-content-link-color,#1565c0);background:none;border:1px dashed var(--jp-border-color1,#bdbdbd);border-radius:3px;cursor:pointer;padding:0 .4em}
.certlab-view .certlab-fields summary{font-weight:600;cursor:pointer;margin:6px 0 2px}
.certlab-view .certlab-table{border-collapse:collapse;width:100%;table-layout:fixed}
.certlab-view .certlab-table th{width:12.5em;text-align:right;vertical-align:top;padding:2px 8px 2px 0;font-weight:600;overflow-wrap:anywhere}
.certlab-view .certlab-table td{vertical-align:top;padding:2px 0;text-align:left}
.certlab-view table{margin-left:0;margin-right:auto}
.certlab-view table td,.certlab-view table th{text-align:left}
.certlab-view .certlab-table th{text-align:right}
.certlab-view pre{white-space:pre;overflow-x:auto;overflow-wrap:normal;word-break:normal;max-width:100%}
.certlab-view .certlab-table td code{white-space:pre-wrap;overflow-wrap:anywhere;font-family:var(--jp-code-font-family,monospace)}
.certlab-view .certlab-expl{color:var(--jp-ui-font-color2,#616161);overflow-wrap:anywhere}
.certlab-view .certlab-critical>th:after{content:" (critical)";font-weight:normal;color:var(--jp-error-color1,#c62828)}
.certlab-view .certlab-findings{padding-left:1.2em;margin:4px 0}
.certlab-view .certlab-finding{overflow-wrap:anywhere;margin:3px 0}
.certlab-view .certlab-badge{display:inline-block;min-width:4.6em;text-align:center;border-radius:3px;padding:0 4px;font-size:90%;font-weight:600}
.certlab-view .certlab-sev-error .certlab-badge{background:#b71c1c;color:#fff}
.certlab-view .certlab-sev-warning .certlab-badge{background:#ffb74d;color:#1a1a1a}
.certlab-view .certlab-sev-info .certlab-badge{background:#01579b;color:#fff}
.certlab-view [data-certlab-path]:not([role=treeitem]){cursor:pointer}
"""

# The forms' own chrome (ipywidgets' tabs, buttons, checkboxes), for a laptop
# screen: 1400x857 with JupyterLab's file browser open leaves the views about
# 520 px.  ipywidgets cuts every label that does not fit with an ellipsis
# ("ASN.1 / DE", "keyE...", "Ru..."); here a tab, a button or a checkbox label
# is as wide as its text, tabs wrap to a second row, checkboxes to a new column.
# Scoped to certlab's own classes; shipped once per form by certlab.widgets.
WIDGET_STYLESHEET = """
.certlab-views>.lm-TabBar{height:auto;min-height:fit-content;max-height:none}
.certlab-views>.lm-TabBar>.lm-TabBar-content{flex-wrap:wrap}
.certlab-views>.lm-TabBar .lm-TabBar-tab{flex:0 0 auto;min-width:max-content;max-width:none}
.certlab-views>.lm-TabBar .lm-TabBar-tabLabel{overflow:visible;text-overflow:clip}
.certlab-widget .jupyter-button{min-width:max-content;overflow:visible;text-overflow:clip}
.certlab-widget .widget-toggle-buttons .widget-toggle-button{min-width:max-content}
.certlab-widget .widget-checkbox{width:auto;min-width:max-content}
.certlab-widget .widget-checkbox .widget-label-basic,.certlab-widget .widget-checkbox label{overflow:visible;text-overflow:clip;white-space:nowrap}
.certlab-widget .widget-textarea textarea{font-family:var(--jp-code-font-family,monospace);white-space:pre;overflow-wrap:normal;overflow-x:auto}
"""

# The behaviour, installed once per page as window.__certlab(event, container).  Views
# nest (a pane's view around an explorer's own): the innermost one handles an event and
# marks it, the ones around it leave it (else a click toggled a node twice).
BEHAVIOUR = r"""
window.__certlab=function(ev,v){
if(ev.__cl)return;ev.__cl=1;var TI='[role=treeitem]',T=ev.target,tree=v.querySelector('[role=tree]');
function items(){return Array.from(v.querySelectorAll(TI)).filter(e=>{var p=e.parentElement.closest(TI);while(p){if(p.getAttribute('aria-expanded')=='false')return false;p=p.parentElement.closest(TI);}return true;});}
function mark(li){(v.__clm||[]).forEach(e=>{e.classList.remove('h1','h2','h3');});v.__clm=[];if(!li)return;
var x=li.closest('.cl-x')||v,hex=x.querySelector('.cl-hex');if(!hex)return;var f=null,b=li.getAttribute('data-b').split(',').map(Number);
rows(hex).forEach(r=>{var o=r[0];if(o+r[2]<=b[0]||o>=b[3])return;var bs=split(r[1]);for(var k=Math.max(o,b[0]);k<b[3]&&k<o+bs.length;k++){var e=bs[k-o];e.classList.add(k<b[1]?'h1':k<b[2]?'h2':'h3');v.__clm.push(e);f=f||e;}});
if(f){var hr=hex.getBoundingClientRect(),fr=f.getBoundingClientRect();if(fr.top<hr.top||fr.bottom>hr.bottom)hex.scrollTop+=fr.top-hr.top-hr.height/3;}
var ex=x.querySelectorAll('.cl-ex>div')[+li.getAttribute('data-x')],info=x.querySelector('.cl-info');
if(info&&ex)info.innerHTML=ex.innerHTML;}
function full(li){if(li.__p)return li.__p;var s=li.getAttribute('data-s')||'',p=li.parentElement.closest(TI),b=p?full(p)[0]:null,r;
if(s.charAt(0)=='='||!p)r=[s.replace(/^=/,'')];else if(!s)r=[b];else{var segs=s.split('.'),acc=b;r=[];segs.forEach(g=>{acc=acc+'.'+g;r.unshift(acc);});}
li.__p=r;li.setAttribute('data-certlab-path',r[0]);return r;}
function rows(hex){if(hex.__r)return hex.__r;var r=[],o=0;Array.from(hex.children).forEach(row=>{if(row.className||row.content)return;var d=row.getAttribute('data-o'),n=row.getElementsByTagName('i').length;if(d)o=+d;row.childNodes.forEach(t=>{if(t.nodeType==3)n+=t.nodeValue.split(' ').filter(Boolean).length;});r.push([o,row,n]);o+=n;});return hex.__r=r;}
function split(row){if(!row.__s){row.__s=1;Array.from(row.childNodes).forEach(t=>{if(t.nodeType!=3)return;t.nodeValue.split(' ').filter(Boolean).forEach(x=>{var i=document.createElement('i');i.textContent=x;row.insertBefore(i,t);});row.removeChild(t);});}return row.getElementsByTagName('i');}
function select(li,focus){if(!li)return;
v.querySelectorAll('[role=treeitem][tabindex]').forEach(e=>{e.setAttribute('aria-selected','false');e.tabIndex=-1;});
var p=li.parentElement.closest(TI);while(p){p.setAttribute('aria-expanded','true');p=p.parentElement.closest(TI);}
li.setAttribute('aria-selected','true');li.tabIndex=0;if(focus)li.focus();
if(li.scrollIntoView)li.scrollIntoView({block:'nearest'});v.__cls=li;mark(li);
var ps=full(li);v.querySelectorAll('[data-certlab-path]').forEach(e=>{
var on=e.getAttribute('role')!='treeitem'&&ps.indexOf(e.getAttribute('data-certlab-path'))>=0;e.classList.toggle('certlab-linked',on);});}
function find(path){var all=v.querySelectorAll(TI);for(var i=0;i<all.length;i++){if(full(all[i]).indexOf(path)>=0)return all[i];}return null;}
if(T.closest&&T.closest('.cl-more'))return;
var li=T.closest?T.closest(TI):null;
if(ev.type=='mouseover'){if(li)mark(li);return;}
if(ev.type=='mouseout'){if(!ev.relatedTarget||!tree||!tree.contains(ev.relatedTarget))mark(v.__cls||null);return;}
if(!li){var lk=T.closest?T.closest('[data-certlab-path]'):null;if(lk&&(ev.type=='click'||ev.type=='focusin'))select(find(lk.getAttribute('data-certlab-path')),false);return;}
if(ev.type=='click'){if(li==v.__cls&&li.hasAttribute('aria-expanded'))li.setAttribute('aria-expanded',li.getAttribute('aria-expanded')=='true'?'false':'true');select(li,true);return;}
if(ev.type=='focusin'){if(li!=v.__cls)select(li,false);return;}
if(ev.type!='keydown')return;
var vis=items(),i=vis.indexOf(li),exp=li.getAttribute('aria-expanded'),n=null;
switch(ev.key){
case'ArrowDown':n=vis[i+1];break;case'ArrowUp':n=vis[i-1];break;
case'Home':n=vis[0];break;case'End':n=vis[vis.length-1];break;
case'ArrowRight':if(exp=='false')li.setAttribute('aria-expanded','true');else if(exp=='true')n=li.querySelector(TI);break;
case'ArrowLeft':if(exp=='true')li.setAttribute('aria-expanded','false');else n=li.parentElement.closest(TI);break;
case'Enter':case' ':if(exp)li.setAttribute('aria-expanded',exp=='true'?'false':'true');select(li,true);break;
default:return;}
ev.preventDefault();if(n)select(n,true);};
"""

_HANDLER = ("if(!window.__certlab)(new Function(this.getAttribute('data-certlab-js')))();"
            "window.__certlab(event,this)")


def _attr(text: str) -> str:
    # Inside a double-quoted attribute only & " < need escaping; leaving ' as is
    # keeps the behaviour ~15% smaller on every render.
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


_JS_ATTR = _attr("".join(BEHAVIOUR.split("\n")))
_HANDLER_ATTR = _attr(_HANDLER)
# A view carries the behaviour's source itself (an exported file works alone); a slim widget
# pane leaves it to the one holder its form sent (shared_head) and finds it there.
_SLIM_HANDLER_ATTR = _attr("if(!window.__certlab)(new Function(document.querySelector('[data-certlab-js]')"
                           ".getAttribute('data-certlab-js')))();window.__certlab(event,this)")


def view(inner_html: str, *, title: str | None = None) -> str:
    """Wrap already-escaped fragments in one ``.certlab-view`` container.

    The container holds the stylesheet and installs the behaviour on first
    interaction; ``title`` (plain text, escaped here) becomes a heading.
    """
    heading = f"<h3>{_html.escape(title)}</h3>" if title else ""
    js = _JS_ATTR
    handler = _HANDLER_ATTR
    return (f'<div class="certlab-view" data-certlab-js="{js}" onclick="{handler}" '
            f'onmouseover="{handler}" onmouseout="{handler}" onfocusin="{handler}" onkeydown="{handler}">'
            f"<style>{STYLESHEET}</style>{heading}{inner_html}</div>")


def shared_head() -> str:
    """The stylesheet and the behaviour's source of :func:`view`, once, for a page holding many views.

    A form sends this once (in a hidden holder, see ``widgets/_base.chrome_style``)
    and its panes then go out :func:`slim`: every edit re-sends a pane, and
    each copy of the stylesheet made the browser restyle the whole page.
    """
    return f'<style>{STYLESHEET}</style><div hidden class="certlab-js" data-certlab-js="{_JS_ATTR}"></div>'


def slim(view_html: str) -> str:
    """``view_html`` without the stylesheet and the behaviour's source (a page with :func:`shared_head`)."""
    return (view_html.replace(f"<style>{STYLESHEET}</style>", "").replace(f' data-certlab-js="{_JS_ATTR}"', "")
            .replace(f'"{_HANDLER_ATTR}"', f'"{_SLIM_HANDLER_ATTR}"'))
