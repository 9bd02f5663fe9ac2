import { siteFeedHandler } from "@/lib/feeds/routes";

export const revalidate = 600;

export const GET = siteFeedHandler("atom");
