import type { Metadata } from "next";
import { notFound, permanentRedirect } from "next/navigation";
import { ListingHeader, ListingView } from "@/components/site/listing-view";
import { loadListing, pagePath, parseListingParams } from "@/lib/listing-params";
import { getTagRedirect } from "@/lib/redirects/queries";
import { pageMetadata } from "@/lib/seo/metadata";
import { getSiteSettings } from "@/lib/settings";
import { getTagListing } from "@/lib/tags/queries";

export const revalidate = 600;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

type Props = { params: Promise<{ slug: string; page?: string[] }> };

const load = (params: Props["params"]) => loadListing(params, getTagListing);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const listing = await load(params);
  if (!listing) return {};
  const title = listing.page > 1 ? `${listing.tag.name} (page ${listing.page})` : listing.tag.name;
  return pageMetadata(await getSiteSettings(), { title, description: `Stories tagged ${listing.tag.name}.`, path: pagePath(`/tag/${listing.tag.slug}`, listing.page) });
}

export default async function TagPage({ params }: Props) {
  const [listing, { timeZone }] = await Promise.all([load(params), getSiteSettings()]);
  if (!listing) {
    // a renamed or merged tag's old address, and its pages, lead to the current one
    const { slug, page } = await params;
    const wanted = parseListingParams(slug, page);
    const current = wanted ? await getTagRedirect(wanted.slug) : null;
    if (current) permanentRedirect(pagePath(`/tag/${current}`, wanted!.page));
    notFound();
  }
  return (
    <>
      <ListingHeader kicker="Tag" title={listing.tag.name} />
      <ListingView basePath={`/tag/${listing.tag.slug}`} listing={listing} timeZone={timeZone} empty="No published stories carry this tag yet." />
    </>
  );
}
