// Every cache tag name. Mutations return the tags they touched; callers in a Next.js context flush them.

export const tags = {
  article: (slug: string) => `article:${slug}`,
  section: (slug: string) => `section:${slug}`,
  tag: (slug: string) => `tag:${slug}`,
  author: (slug: string) => `author:${slug}`,
  frontPage: "front-page",
  sections: "sections",
  settings: "settings",
  feed: "feed",
  sitemap: "sitemap",
  search: "search",
} as const;
