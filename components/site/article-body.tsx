import type { ReactNode } from "react";
import type { BlockNode, InlineNode, ListNode, Mark } from "@/lib/rich-text/schema";
import { isSafeHref, isSafeImageSrc } from "@/lib/rich-text/urls";

// The allow-list renderer: every stored node becomes a React element React escapes, never raw HTML.
// Unknown node or mark types render nothing, and URLs are re-checked here as well as on save.

function applyMark(mark: Mark, children: ReactNode, key: number): ReactNode {
  switch (mark.type) {
    case "bold":
      return <strong key={key}>{children}</strong>;
    case "italic":
      return <em key={key}>{children}</em>;
    case "underline":
      return <u key={key}>{children}</u>;
    case "strike":
      return <s key={key}>{children}</s>;
    case "code":
      return <code key={key}>{children}</code>;
    case "link": {
      const href = mark.attrs.href;
      if (!isSafeHref(href)) return children;
      const external = /^https?:/i.test(href);
      return (
        <a key={key} href={href} {...(external ? { rel: "noopener noreferrer nofollow" } : {})}>
          {children}
        </a>
      );
    }
    default:
      return children;
  }
}

function Inline({ nodes }: { nodes: InlineNode[] | undefined }) {
  return (nodes ?? []).map((node, index) => {
    if (node.type === "hardBreak") return <br key={index} />;
    if (node.type !== "text") return null;
    return (node.marks ?? []).reduceRight<ReactNode>((children, mark) => applyMark(mark, children, index), node.text);
  });
}

function List({ list }: { list: ListNode }) {
  const items = list.content.map((item, index) => (
    <li key={index}>
      {item.content.map((child, i) => (child.type === "paragraph" ? <Inline key={i} nodes={child.content} /> : <List key={i} list={child} />))}
    </li>
  ));
  return list.type === "orderedList" ? <ol start={list.attrs?.start}>{items}</ol> : <ul>{items}</ul>;
}

function Block({ block }: { block: BlockNode }) {
  switch (block.type) {
    case "paragraph":
      return (
        <p>
          <Inline nodes={block.content} />
        </p>
      );
    case "heading": {
      const Tag = (`h${block.attrs.level}` as "h2" | "h3" | "h4");
      return (
        <Tag>
          <Inline nodes={block.content} />
        </Tag>
      );
    }
    case "blockquote":
      return (
        <blockquote>
          {block.content.map((p, i) => (
            <p key={i}>
              <Inline nodes={p.content} />
            </p>
          ))}
        </blockquote>
      );
    case "pullQuote":
      return (
        <aside className="pull-quote" aria-label="Pull quote">
          <p>
            <Inline nodes={block.content} />
          </p>
        </aside>
      );
    case "bulletList":
    case "orderedList":
      return <List list={block} />;
    case "horizontalRule":
      return <hr />;
    case "figure": {
      if (!isSafeImageSrc(block.attrs.src)) return null;
      const { caption, credit } = block.attrs;
      return (
        <figure>
          {/* eslint-disable-next-line @next/next/no-img-element -- stored images may be remote; sizes come later */}
          <img src={block.attrs.src} alt={block.attrs.alt} loading="lazy" decoding="async" />
          {(caption || credit) && (
            <figcaption>
              {caption}
              {credit && <span className="credit"> {credit}</span>}
            </figcaption>
          )}
        </figure>
      );
    }
    default:
      return null;
  }
}

export function ArticleBody({ blocks }: { blocks: BlockNode[] }) {
  return (
    <div className="article-body">
      {blocks.map((block, index) => (
        <Block key={index} block={block} />
      ))}
    </div>
  );
}
